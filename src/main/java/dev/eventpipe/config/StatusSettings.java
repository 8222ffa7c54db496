package dev.eventpipe.config;

import java.time.Duration;

/**
 * {@code [status]}: when {@code eventpipe status} (and the dashboard) calls the pipeline unhealthy.
 *
 * @param maxRejectedShare above this share of the events received in the window being rejected,
 *                         status warns and exits 1
 * @param windowMinutes    the window, ending now, in minutes
 */
public record StatusSettings(double maxRejectedShare, int windowMinutes) {

    static final String SECTION = "status";

    static StatusSettings read(SettingsReader r) {
        return new StatusSettings(
                r.decimal(SECTION, "max_rejected_share", 0.01, 0.0, 1.0),
                r.integer(SECTION, "window_minutes", 60, 1, 1_440));
    }

    /** The window as a duration. */
    public Duration window() {
        return Duration.ofMinutes(windowMinutes);
    }
}
