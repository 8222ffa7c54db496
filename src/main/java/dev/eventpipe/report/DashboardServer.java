package dev.eventpipe.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the report folder (charts and {@code index.html}) on 127.0.0.1 with the JDK's HTTP server.
 * Until the first report exists, {@code /} shows a page that says so and refreshes itself.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "json", "application/json",
            "css", "text/css; charset=utf-8");
    static final String WAITING = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"refresh\" content=\"10\"><link rel=\"icon\" href=\"data:,\"><title>eventpipe</title></head>"
            + "<body style=\"font-family:sans-serif;margin:2em\"><h1>eventpipe</h1>"
            + "<p>No report yet: the first one appears after the first scheduled report run. This page refreshes itself.</p>"
            + "</body></html>";

    private final HttpServer server;
    private final Path folder;

    private DashboardServer(HttpServer server, Path folder) {
        this.server = server;
        this.folder = folder;
    }

    /**
     * Serves {@code folder} on 127.0.0.1:{@code port}; when that port is taken, on a free one (the
     * URL says which).
     *
     * @throws IOException when no port can be bound at all
     */
    public static DashboardServer start(Path folder, int port) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            log.warn("dashboard: port {} ([report] port) is taken; serving on port {} instead", port,
                    server.getAddress().getPort());
        }
        DashboardServer d = new DashboardServer(server, root);
        server.createContext("/", d::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dashboard");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return d;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
                send(x, 405, "text/plain; charset=utf-8", "method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = x.getRequestURI().getPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            Path file = folder.resolve(name).normalize();
            // Only plain files directly in the report folder; nothing above it.
            if (!file.getParent().equals(folder) || name.startsWith(".") || !Files.isRegularFile(file)) {
                if (name.equals("index.html")) {
                    send(x, 200, TYPES.get("html"), WAITING.getBytes(StandardCharsets.UTF_8));
                } else {
                    send(x, 404, "text/plain; charset=utf-8", ("not found: " + path).getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            send(x, 200, TYPES.getOrDefault(ext, "application/octet-stream"), Files.readAllBytes(file));
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
