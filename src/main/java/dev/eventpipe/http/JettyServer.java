package dev.eventpipe.http;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty HTTP/1.1 server as every eventpipe server runs it (the dashboard, the collector): one
 * address, the {@link HttpServerLimits}, errors as JSON, no {@code Server} version header, daemon
 * threads named after the server.
 */
public final class JettyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JettyServer.class);

    private final String name;
    private final String host;
    private final Server server;
    private final ServerConnector connector;

    private JettyServer(String name, String host, Server server, ServerConnector connector) {
        this.name = name;
        this.host = host;
        this.server = server;
        this.connector = connector;
    }

    /**
     * Serves {@code handler} on {@code host:port} ({@code port} 0: any free port) until {@link #close()}.
     *
     * @param name names the threads and the log lines
     * @throws IOException when the address cannot be bound; {@link #isAddressInUse} tells whether the port is taken
     */
    public static JettyServer start(String name, String host, int port, HttpServerLimits limits, Handler handler)
            throws IOException {
        return start(name, host, port, limits, handler, Duration.ZERO);
    }

    /**
     * As {@link #start(String, String, int, HttpServerLimits, Handler)}, and {@link #close()} stops gracefully:
     * it stops accepting, answers new requests on open connections 503, and waits up to {@code drain} for the
     * requests in progress to be answered before closing the connections.
     */
    public static JettyServer start(String name, String host, int port, HttpServerLimits limits, Handler handler, Duration drain)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), HttpServerLimits.MIN_THREADS);
        threads.setName(name + "-http");
        threads.setDaemon(true);
        Server server = new Server(threads, new ScheduledExecutorScheduler(name + "-http-timer", true), null);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setErrorHandler(new JsonErrorHandler());
        if (!drain.isZero() && !drain.isNegative()) {
            server.setStopTimeout(drain.toMillis());
            server.setHandler(new GracefulHandler(handler));
        } else {
            server.setHandler(handler);
        }

        // Bound before anything starts: a taken port then leaves no thread behind.
        connector.open();
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server, name);
            throw new IOException("cannot start the " + name + " HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        JettyServer started = new JettyServer(name, host, server, connector);
        log.debug("{}: serving on '{}' (idle timeout {}, {} threads, {} connections at most)", name, started.url(),
                limits.idleTimeout(), limits.maxThreads(), limits.maxConnections());
        return started;
    }

    /** Whether {@code e}, from {@link #start}, says the port is taken. */
    public static boolean isAddressInUse(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** The port bound (the free one chosen when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port/}. */
    public URI url() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** Stops accepting, closes every connection and ends the threads. */
    @Override
    public void close() {
        stopQuietly(server, name);
    }

    private static void stopQuietly(Server server, String name) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("{}: HTTP server did not stop cleanly: {}", name, e.toString(), e);
        }
    }
}
