package dev.eventpipe.serve;

import dev.eventpipe.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The page and everything it loads, from the jar (it works offline: nothing comes from another host,
 * and its Content-Security-Policy lets the browser fetch nothing from one): {@code /} the page,
 * {@code /assets/app.js} and {@code /assets/app.css}, {@code /assets/echarts-VERSION.min.js} from
 * Apache ECharts' WebJar, and {@code /health}.
 */
final class PageHandler extends Handler.Abstract {

    /** The ECharts WebJar's version (pom.xml); {@code PageHandlerTest} fails when the two differ. */
    static final String ECHARTS_VERSION = "5.3.1";
    static final String ECHARTS_PATH = "/assets/echarts-" + ECHARTS_VERSION + ".min.js";
    static final String ECHARTS_RESOURCE = "META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js";
    private static final String OWN = "dev/eventpipe/serve/";

    /** Only this host, and no inline script: a hostile event name can never run as code here. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String resource, String type, boolean immutable) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset(OWN + "index.html", "text/html; charset=utf-8", false),
            "/index.html", new Asset(OWN + "index.html", "text/html; charset=utf-8", false),
            "/assets/app.js", new Asset(OWN + "app.js", "text/javascript; charset=utf-8", false),
            "/assets/app.css", new Asset(OWN + "app.css", "text/css; charset=utf-8", false),
            "/favicon.ico", new Asset(OWN + "favicon.svg", "image/svg+xml", false),
            ECHARTS_PATH, new Asset(ECHARTS_RESOURCE, "text/javascript; charset=utf-8", true));

    private final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.equals("/health")) {
            Responses.json(request, response, callback, HttpStatus.OK_200, Map.of("status", "ok"));
            return true;
        }
        Asset asset = ASSETS.get(path);
        if (asset == null) {
            return false;
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.error(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed", Map.of("method", method));
            return true;
        }
        byte[] body = bodies.computeIfAbsent(asset.resource(), PageHandler::read);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.type());
        // The library's name holds its version, so a browser may keep it; the page and its script are revalidated.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, HttpMethod.HEAD.is(method) ? null : ByteBuffer.wrap(body), callback);
        return true;
    }

    static byte[] read(String resource) {
        try (InputStream in = PageHandler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks '" + resource + "'");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + resource + "' from the jar", e);
        }
    }
}
