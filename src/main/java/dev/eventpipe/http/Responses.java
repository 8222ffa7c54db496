package dev.eventpipe.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Whole responses for Jetty's core handlers: a status, a type and a body written in one
 * non-blocking write (a client that reads slowly holds no thread), never cached, no body for HEAD.
 */
public final class Responses {

    public static final String JSON = "application/json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Responses() {
    }

    /** Answers {@code status} with {@code body} of {@code contentType}; completes {@code callback} when written. */
    public static void send(Request request, Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    /** Answers {@code status} with {@code body} as a JSON object. */
    public static void json(Request request, Response response, Callback callback, int status, Map<String, ?> body) {
        send(request, response, callback, status, JSON, bytes(body));
    }

    /**
     * Answers an error as every eventpipe server does: {@code {"status": 404, "error": "not found", ...}},
     * {@code details} after those two, in their order.
     */
    public static void error(Request request, Response response, Callback callback, int status, String error,
                             Map<String, ?> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.putAll(details);
        json(request, response, callback, status, body);
    }

    /** {@code body} as JSON bytes (UTF-8). */
    public static byte[] bytes(Map<String, ?> body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + body.keySet(), e);
        }
    }
}
