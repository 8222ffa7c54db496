package dev.eventpipe.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP server allows a client, so that idle, slow or many clients cannot take it over.
 *
 * @param idleTimeout    a connection with nothing read or written for this long is closed; this also ends a
 *                       request whose headers never finish (Jetty's idle timeout covers the header phase)
 * @param maxThreads     threads that run handlers; a connection waiting for bytes holds none (Jetty waits for
 *                       them in its selector), so this bounds concurrent work, not concurrent clients
 * @param maxConnections open connections at most; beyond it the server stops accepting until one closes, so
 *                       sockets cannot use up the file descriptors the rest of the process needs
 * @param maxHeaderBytes request line and headers at most; a larger request is answered 431
 */
public record HttpServerLimits(Duration idleTimeout, int maxThreads, int maxConnections, int maxHeaderBytes) {

    /** Jetty needs an acceptor, a selector and a few reserved threads besides the handlers'. */
    static final int MIN_THREADS = 4;

    public HttpServerLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout <= 0: " + idleTimeout);
        }
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("maxThreads < " + MIN_THREADS + ": " + maxThreads);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections < 1: " + maxConnections);
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes < 1024: " + maxHeaderBytes);
        }
    }

    /** These limits with another idle timeout. */
    public HttpServerLimits withIdleTimeout(Duration timeout) {
        return new HttpServerLimits(timeout, maxThreads, maxConnections, maxHeaderBytes);
    }
}
