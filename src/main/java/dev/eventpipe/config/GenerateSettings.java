package dev.eventpipe.config;

/**
 * {@code [generate]}: the simulator's model and sending defaults (command-line options override them).
 *
 * @param devices          size of the device population (each a stable anonymous_id)
 * @param funnelConversion share of registration_initiated that are followed by submission_success
 * @param androidShare     share of devices that are android (the rest are ios)
 * @param threads          sending threads, each with its own SendMessageBatch calls
 * @param pack             events per message; above 1 a body is gzip+base64 NDJSON
 */
public record GenerateSettings(int devices, double funnelConversion, double androidShare, int threads, int pack) {

    static final String SECTION = "generate";

    static GenerateSettings read(SettingsReader r) {
        return new GenerateSettings(
                r.integer(SECTION, "devices", 2_000, 1, 10_000_000),
                r.decimal(SECTION, "funnel_conversion", 0.4, 0.0, 1.0),
                r.decimal(SECTION, "android_share", 0.6, 0.0, 1.0),
                r.integer(SECTION, "threads", 8, 1, 256),
                r.integer(SECTION, "pack", 1, 1, 1_000));
    }
}
