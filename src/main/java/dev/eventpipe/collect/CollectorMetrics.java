package dev.eventpipe.collect;

import dev.eventpipe.event.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the collector counts, as Micrometer meters exposed in Prometheus' text format on {@code /metrics}
 * (requests by path and status, events accepted and rejected by reason, SQS send latency, bytes in
 * flight), and the same counts per interval for the stats line in the log.
 */
final class CollectorMetrics implements PackSender.Listener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Counter accepted;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Timer sendOk;
    private final Timer sendFailed;
    private final Counter messages;
    private final AtomicLong inflight = new AtomicLong();

    private final LongAdder intervalRequests = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final LongAdder intervalAccepted = new LongAdder();
    private final LongAdder intervalRejected = new LongAdder();
    private final LongAdder intervalCalls = new LongAdder();
    private final LongAdder intervalMessages = new LongAdder();
    private final LongAdder intervalFailedCalls = new LongAdder();
    private final AtomicLong intervalMaxSendNanos = new AtomicLong();

    CollectorMetrics() {
        accepted = Counter.builder("eventpipe.collector.events").description("Events taken in, by outcome and reason")
                .tag("outcome", "accepted").tag("reason", "none").register(registry);
        for (RejectionReason r : RejectionReason.values()) {
            rejected.put(r, Counter.builder("eventpipe.collector.events").description("Events taken in, by outcome and reason")
                    .tag("outcome", "rejected").tag("reason", r.code()).register(registry));
        }
        sendOk = sendTimer("ok");
        sendFailed = sendTimer("failed");
        messages = Counter.builder("eventpipe.collector.sqs.messages").description("SQS messages sent (packed events)").register(registry);
        Gauge.builder("eventpipe.collector.inflight.bytes", inflight, AtomicLong::get)
                .description("Request bytes held until the queue takes them").baseUnit("bytes").register(registry);
    }

    private Timer sendTimer(String outcome) {
        return Timer.builder("eventpipe.collector.sqs.send").description("SendMessageBatch calls and their latency")
                .tag("outcome", outcome).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /** One answered request. */
    void request(String path, int status, long nanos) {
        requests.computeIfAbsent(path + " " + status, k -> Timer.builder("eventpipe.collector.requests")
                .description("HTTP requests by path and status").tag("path", path).tag("status", Integer.toString(status))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        intervalRequests.increment();
        if (status >= 400) {
            intervalErrors.increment();
        }
    }

    void accepted(int events) {
        accepted.increment(events);
        intervalAccepted.add(events);
    }

    void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
        intervalRejected.increment();
    }

    AtomicLong inflight() {
        return inflight;
    }

    @Override
    public void sent(int messages, int events, long bytes, long nanos, boolean ok) {
        (ok ? sendOk : sendFailed).record(nanos, TimeUnit.NANOSECONDS);
        if (ok) {
            this.messages.increment(messages);
        }
        intervalCalls.increment();
        intervalMessages.add(messages);
        if (!ok) {
            intervalFailedCalls.increment();
        }
        intervalMaxSendNanos.accumulateAndGet(nanos, Math::max);
    }

    /** The metrics in Prometheus' text format. */
    String scrape() {
        return registry.scrape();
    }

    /** The stats line of the interval since the last call, or null when nothing happened in it. */
    String intervalLine(Duration interval) {
        long req = intervalRequests.sumThenReset();
        long errors = intervalErrors.sumThenReset();
        long ok = intervalAccepted.sumThenReset();
        long bad = intervalRejected.sumThenReset();
        long calls = intervalCalls.sumThenReset();
        long msgs = intervalMessages.sumThenReset();
        long failed = intervalFailedCalls.sumThenReset();
        long maxSend = intervalMaxSendNanos.getAndSet(0);
        if (req == 0 && calls == 0) {
            return null;
        }
        double s = interval.toMillis() / 1000.0;
        return String.format("%,d requests (%,.0f/s, %,d answered 4xx/5xx), %,d events accepted (%,.0f/s), %,d rejected"
                        + " (to the dead-letter queue), %,d SQS calls of %,d messages (%,d failed, slowest %,d ms), %,d bytes in flight",
                req, req / s, errors, ok, ok / s, bad, calls, msgs, failed, maxSend / 1_000_000, inflight.get());
    }

    void close() {
        registry.close();
    }
}
