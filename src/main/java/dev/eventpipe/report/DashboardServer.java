package dev.eventpipe.report;

import dev.eventpipe.http.HttpServerLimits;
import dev.eventpipe.http.JettyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the report folder (charts and {@code index.html}) on 127.0.0.1, and {@code /health}. See
 * {@link DashboardHandler} for what each path answers.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);

    static final String HOST = "127.0.0.1";

    /**
     * A browser keeps a connection for its next reload (every minute) but not longer than this; a
     * client that sends part of a request and stops is dropped after it, without holding a thread.
     */
    static final HttpServerLimits LIMITS = new HttpServerLimits(Duration.ofSeconds(30), 16, 256, 8 * 1024);

    private final JettyServer server;

    private DashboardServer(JettyServer server) {
        this.server = server;
    }

    /**
     * Serves {@code folder} on 127.0.0.1:{@code port}; when that port is taken, on a free one (the
     * URL says which).
     *
     * @throws IOException when no port can be bound at all
     */
    public static DashboardServer start(Path folder, int port) throws IOException {
        return start(folder, port, LIMITS);
    }

    static DashboardServer start(Path folder, int port, HttpServerLimits limits) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        JettyServer server;
        try {
            server = JettyServer.start("dashboard", HOST, port, limits, new DashboardHandler(root));
        } catch (IOException e) {
            if (!JettyServer.isAddressInUse(e)) {
                throw e;
            }
            // A new handler: a Jetty handler belongs to one server.
            server = JettyServer.start("dashboard", HOST, 0, limits, new DashboardHandler(root));
            log.warn("dashboard: port {} ([report] port) is taken; serving on port {} instead", port, server.port());
        }
        return new DashboardServer(server);
    }

    public URI url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
