package dev.eventpipe.collect;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.CollectorSettings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.http.HttpServerLimits;
import dev.eventpipe.http.JettyServer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP collector: Segment's Tracking API on Jetty, onto the queue. Apps and SDKs post calls; each
 * request is answered 200 {@code {"success":true}} once the queue took its events (see {@link Exchange}
 * and {@link PackSender}). {@link #close()} drains: it stops taking requests, lets those in progress get
 * their answer, then stops.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    /** Segment's limit on one batch request. */
    static final int MAX_BATCH_REQUEST_BYTES = 500 * 1024;
    /** A body must arrive within this, however slowly it trickles (a slow client holds no thread, but it holds memory). */
    static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
    /** A request whose events the queue has not taken by then is answered 503 (SDKs time out at 10 to 15 s). */
    static final Duration SEND_DEADLINE = Duration.ofSeconds(8);
    /** How long a stop waits for requests in progress. */
    static final Duration DRAIN = Duration.ofSeconds(15);
    static final Duration STATS_INTERVAL = Duration.ofSeconds(10);
    /** Threads calling SendMessageBatch at once. */
    public static final int SENDERS = 4;

    /** What every exchange shares. */
    record Context(WriteKeys keys, int maxEventBytes, Clock clock, SegmentMapper mapper, EventCodec codec, CollectorMetrics metrics,
                   InflightBytes inflight, PackSender sender) {
    }

    private final JettyServer server;
    private final PackSender sender;
    private final CollectorMetrics metrics;
    private final QueueHealth health;
    private final ScheduledExecutorService stats;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Collector(JettyServer server, PackSender sender, CollectorMetrics metrics, QueueHealth health, ScheduledExecutorService stats) {
        this.server = server;
        this.sender = sender;
        this.metrics = metrics;
        this.health = health;
        this.stats = stats;
    }

    /**
     * Serves on {@code settings.bind():port} ({@code port} 0: a free one) until {@link #close()}.
     *
     * @param bus the queue; the caller closes it after this collector
     * @throws IOException when the address cannot be bound
     */
    public static Collector start(CollectorSettings settings, int port, EventBus bus, EventCodec codec, Clock clock) throws IOException {
        CollectorMetrics metrics = new CollectorMetrics();
        PackSender sender = new PackSender(bus, Duration.ofMillis(settings.batchWaitMillis()), SENDERS, metrics);
        Context ctx = new Context(new WriteKeys(settings.writeKeys()), codec.maxEventBytes(), clock,
                new SegmentMapper(SegmentRequest.JSON), codec, metrics, new InflightBytes(settings.maxInflightBytes(), metrics.inflight()), sender);
        QueueHealth health = new QueueHealth(bus);
        Handler handler = cors(settings, new CollectHandler(ctx, health));
        // Idle keep-alive connections of SDKs are cheap (no thread); handlers do CPU work only, never wait on SQS.
        HttpServerLimits limits = new HttpServerLimits(Duration.ofSeconds(30), 32, settings.maxConnections(), 16 * 1024);
        JettyServer server;
        try {
            server = JettyServer.start("collector", settings.bind(), port, limits, handler, DRAIN);
        } catch (IOException e) {
            sender.close(Duration.ZERO);
            health.close();
            throw e;
        }
        ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collector-stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleAtFixedRate(() -> {
            String line = metrics.intervalLine(STATS_INTERVAL);
            if (line != null) {
                log.info("collect: last {} s: {}", STATS_INTERVAL.toSeconds(), line);
            }
        }, STATS_INTERVAL.toMillis(), STATS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("collect: Segment's Tracking API at '{}' ({}; CORS origins {}; at most {} bytes in flight)", server.url(),
                ctx.keys().open() ? "no write keys: loopback only" : settings.writeKeys().size() + " write keys",
                settings.allowedOrigins(), settings.maxInflightBytes());
        return new Collector(server, sender, metrics, health, stats);
    }

    /** CORS for browser SDKs: Jetty answers preflights and adds the headers for the allowed origins. */
    private static Handler cors(CollectorSettings settings, Handler inner) {
        CrossOriginHandler cors = new CrossOriginHandler();
        Set<String> patterns = new HashSet<>();
        for (String o : settings.allowedOrigins()) {
            patterns.add(o.equals("*") ? "*" : Pattern.quote(o).replace("*", "\\E.*\\Q"));
        }
        cors.setAllowedOriginPatterns(patterns);
        cors.setAllowedMethods(Set.of("POST", "GET", "HEAD", "OPTIONS"));
        cors.setAllowedHeaders(Set.of("Content-Type", "Authorization", "Content-Encoding", "X-Requested-With"));
        cors.setAllowCredentials(false);
        cors.setPreflightMaxAge(Duration.ofDays(1));
        cors.setHandler(inner);
        return cors;
    }

    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** Stops taking requests, answers those in progress (up to {@link #DRAIN}), sends what is left, stops. Once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        sender.close(DRAIN);
        stats.shutdownNow();
        String line = metrics.intervalLine(STATS_INTERVAL);
        if (line != null) {
            log.info("collect: since the last stats line: {}", line);
        }
        health.close();
        metrics.close();
        log.info("collect: stopped");
    }
}
