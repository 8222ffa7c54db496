package dev.eventpipe.http;

import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to what Jetty refuses before a handler runs (a bad request line, an ambiguous path,
 * headers too large) as the same JSON the handlers send: {@code {"status": 400, "error": "..."}},
 * never Jetty's HTML page, and never an exception's text.
 */
final class JsonErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m ? m : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            message = message == null ? e.getReason() : message;
        }
        if (HttpStatus.hasNoBody(status)) {
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
        // Jetty's message for a 4xx says what was wrong with the request; for a 5xx it is the exception's
        // text (paths, class names), which stays in the server's log.
        boolean tell = message != null && status < HttpStatus.INTERNAL_SERVER_ERROR_500;
        Responses.error(request, response, callback, status, tell ? message : HttpStatus.getMessage(status), Map.of());
        return true;
    }
}
