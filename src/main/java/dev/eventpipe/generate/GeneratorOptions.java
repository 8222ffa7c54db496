package dev.eventpipe.generate;

import java.time.Duration;

/**
 * One simulator run.
 *
 * @param rate           events per second; 0 sends as fast as the queue takes them
 * @param count          events to send, or -1 for no limit
 * @param duration       how long to send, or null for no limit
 * @param threads        sending threads
 * @param pack           events per message; above 1 bodies are gzip+base64 NDJSON
 * @param devices        size of the device population
 * @param populationSeed the same seed gives the same devices (stable anonymous_ids across runs)
 * @param eventSeed      seeds event ids; give it only to repeat a run exactly
 * @param maxEventBytes  the consumer's size limit, so oversize events exceed it
 * @param format         how events are written into bodies: the prototype's form unless asked otherwise
 */
public record GeneratorOptions(
        long rate,
        long count,
        Duration duration,
        int threads,
        int pack,
        FaultRates faults,
        int devices,
        double funnelConversion,
        double androidShare,
        long populationSeed,
        long eventSeed,
        int maxEventBytes,
        BodyFormat format) {

    /** Options with the prototype's body format, so every run exercises the real contract. */
    public GeneratorOptions(long rate, long count, Duration duration, int threads, int pack, FaultRates faults,
                            int devices, double funnelConversion, double androidShare, long populationSeed,
                            long eventSeed, int maxEventBytes) {
        this(rate, count, duration, threads, pack, faults, devices, funnelConversion, androidShare, populationSeed,
                eventSeed, maxEventBytes, BodyFormat.PROTOTYPE);
    }

    public GeneratorOptions {
        if (format == null) {
            throw new IllegalArgumentException("format is null");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate < 0");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1");
        }
        if (pack < 1) {
            throw new IllegalArgumentException("pack < 1");
        }
    }

    public boolean bounded() {
        return count >= 0 || duration != null;
    }

    /** These options with bodies in {@code f}. */
    public GeneratorOptions withFormat(BodyFormat f) {
        return new GeneratorOptions(rate, count, duration, threads, pack, faults, devices, funnelConversion,
                androidShare, populationSeed, eventSeed, maxEventBytes, f);
    }
}
