package dev.eventpipe.config;

import java.util.List;

/**
 * {@code [events]}: the original prototype's event settings, plus the size limit of one event.
 *
 * @param eventsPerSec   the simulator's default rate; 0 means as fast as the queue takes them
 * @param pollingCycles  a consumer also flushes its buffers after this many empty polls in a row (0 = never)
 * @param reportEvents   the events whose daily counts per platform are charted
 * @param maxEventBytes  an event whose JSON is larger is rejected as too large
 */
public record EventsSettings(int eventsPerSec, int pollingCycles, List<String> reportEvents, int maxEventBytes) {

    static final String SECTION = "events";

    static EventsSettings read(SettingsReader r) {
        int rate = r.integer(SECTION, "events_per_sec", 50, 0, 1_000_000);
        int cycles = r.integer(SECTION, "polling_cycles", 3, 0, 1_000_000);
        List<String> report = r.list(SECTION, "report_events", "registration_initiated, submission_success");
        for (String name : report) {
            if (name.length() > 256) {
                throw r.invalid(SECTION, "report_events", "each event name must be at most 256 characters");
            }
        }
        int maxBytes = r.integer(SECTION, "max_event_bytes", 32_768, 1_024, 262_144);
        return new EventsSettings(rate, cycles, report, maxBytes);
    }
}
