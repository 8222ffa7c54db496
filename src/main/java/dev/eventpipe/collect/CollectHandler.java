package dev.eventpipe.collect;

import dev.eventpipe.http.Responses;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the collector answers:
 * <ul>
 *   <li>{@code POST} to Segment's tracking paths ({@link Endpoint}): see {@link Exchange};
 *   <li>{@code GET /health}: 200 when the queue answers, else 503 (see {@link QueueHealth});
 *   <li>{@code GET /metrics}: the metrics in Prometheus' text format;
 *   <li>anything else: 404 or 405, as JSON.
 * </ul>
 */
final class CollectHandler extends Handler.Abstract {

    static final String HEALTH = "/health";
    static final String METRICS = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Collector.Context ctx;
    private final QueueHealth health;

    CollectHandler(Collector.Context ctx, QueueHealth health) {
        // Nothing here waits: bodies are read on demand and answers go out when the queue takes the events.
        // So Jetty may run a request where its bytes arrived instead of handing it to a pool thread, the
        // hand-off that cost more CPU than the work of a single-event request (docs/BENCHMARKS.md). Work that
        // takes long (a large batch body) is handed to the pool by Exchange itself.
        super(InvocationType.NON_BLOCKING);
        this.ctx = ctx;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (HEALTH.equals(path) || METRICS.equals(path)) {
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                return notAllowed(request, response, callback, path, method, "GET, HEAD", start);
            }
            if (METRICS.equals(path)) {
                Responses.send(request, response, callback, HttpStatus.OK_200, PROMETHEUS_TEXT,
                        ctx.metrics().scrape().getBytes(StandardCharsets.UTF_8));
                ctx.metrics().request(path, HttpStatus.OK_200, System.nanoTime() - start);
            } else {
                health.check().whenComplete((problem, e) -> {
                    int status = problem == null ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503;
                    ctx.metrics().request(path, status, System.nanoTime() - start);
                    if (problem == null) {
                        Responses.json(request, response, callback, status, Map.of("status", "ok"));
                    } else {
                        Responses.error(request, response, callback, status, "the queue does not answer: " + problem, Map.of());
                    }
                });
            }
            return true;
        }
        Endpoint endpoint = Endpoint.of(path);
        if (endpoint == null) {
            ctx.metrics().request("other", HttpStatus.NOT_FOUND_404, System.nanoTime() - start);
            Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found", Map.of("path", path));
            return true;
        }
        if (!HttpMethod.POST.is(method)) {
            return notAllowed(request, response, callback, endpoint.path(), method, "POST", start);
        }
        new Exchange(ctx, request, response, callback, endpoint, start).begin();
        return true;
    }

    private boolean notAllowed(Request request, Response response, Callback callback, String path, String method, String allow, long start) {
        ctx.metrics().request(path, HttpStatus.METHOD_NOT_ALLOWED_405, System.nanoTime() - start);
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        Responses.error(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed", Map.of("method", method));
        return true;
    }
}
