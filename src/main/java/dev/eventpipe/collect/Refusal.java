package dev.eventpipe.collect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the collector answers with an error: its HTTP status, one line saying what is wrong, and
 * the limit it broke where there is one (as Segment's API, a client learns which limit from the answer).
 */
final class Refusal extends Exception {

    private final int status;
    private final String limit;

    Refusal(int status, String message) {
        this(status, message, null);
    }

    Refusal(int status, String message, String limit) {
        super(message, null, false, false);
        this.status = status;
        this.limit = limit;
    }

    int status() {
        return status;
    }

    /** The fields the JSON answer carries after status and error. */
    Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("success", false);
        if (limit != null) {
            d.put("limit", limit);
        }
        return d;
    }
}
