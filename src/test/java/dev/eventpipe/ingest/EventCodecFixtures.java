package dev.eventpipe.ingest;

/** Hand-written event bodies for consumer tests. */
final class EventCodecFixtures {

    private EventCodecFixtures() {
    }

    /** A valid event with this id and timestamp (any accepted form, or a bad one on purpose). */
    static String event(String id, String timestamp) {
        return "{\"id\":\"" + id + "\",\"anonymous_id\":\"anon\",\"event\":\"app_opened\",\"timestamp\":\"" + timestamp
                + "\",\"sent_at\":\"2026-11-24 10:00:05\",\"received_at\":\"2026-11-24 10:00:06\",\"context_device_type\":\"ios\"}";
    }
}
