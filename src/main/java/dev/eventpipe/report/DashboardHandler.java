package dev.eventpipe.report;

import dev.eventpipe.http.Responses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the dashboard answers, to {@code GET} and {@code HEAD} only (others: 405 as JSON):
 * <ul>
 *   <li>{@code /health}: 200 {@code {"status":"ok"}};
 *   <li>{@code /} and {@code /index.html}: the dashboard page; until the first report exists, a page
 *       that says so and refreshes itself;
 *   <li>{@code /<name>}: a plain file directly in the report folder, typed by its extension;
 *   <li>anything else (a dot file, a sub folder, a path above the folder, a missing file): 404 as JSON.
 * </ul>
 */
public final class DashboardHandler extends Handler.Abstract {

    static final String HEALTH = "/health";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "json", Responses.JSON,
            "css", "text/css; charset=utf-8");
    static final String WAITING = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"refresh\" content=\"10\"><link rel=\"icon\" href=\"data:,\"><title>eventpipe</title></head>"
            + "<body style=\"font-family:sans-serif;margin:2em\"><h1>eventpipe</h1>"
            + "<p>No report yet: the first one appears after the first scheduled report run. This page refreshes itself.</p>"
            + "</body></html>";

    private final Path folder;

    /** Serves the report files directly in {@code folder} (an absolute, normalized path). */
    public DashboardHandler(Path folder) {
        this.folder = folder;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.error(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed",
                    Map.of("method", method));
            return true;
        }
        String path = Request.getPathInContext(request);
        if (HEALTH.equals(path)) {
            Responses.json(request, response, callback, HttpStatus.OK_200, Map.of("status", "ok"));
            return true;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        Path file = file(name);
        // Only plain files directly in the report folder; nothing above it or below it.
        if (file == null || !folder.equals(file.getParent()) || name.startsWith(".") || !Files.isRegularFile(file)) {
            if (name.equals("index.html")) {
                Responses.send(request, response, callback, HttpStatus.OK_200, TYPES.get("html"),
                        WAITING.getBytes(StandardCharsets.UTF_8));
            } else {
                notFound(request, response, callback, path);
            }
            return true;
        }
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // A report run pruned it since the check above.
            notFound(request, response, callback, path);
            return true;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Responses.send(request, response, callback, HttpStatus.OK_200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
        return true;
    }

    /**
     * {@code name} in the folder, or null when it cannot name a file here (a NUL byte, say: Jetty's
     * URI rules refuse one today, but this handler does not rely on how strict they are set).
     */
    private Path file(String name) {
        try {
            return folder.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void notFound(Request request, Response response, Callback callback, String path) {
        Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found", Map.of("path", path));
    }
}
