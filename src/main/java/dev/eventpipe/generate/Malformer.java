package dev.eventpipe.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.RejectionReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a valid event into a body the consumer must reject, one variant per {@link RejectionReason}
 * except {@code TOO_LARGE} (that is the oversize fault).
 */
final class Malformer {

    /** The reasons the malformed fault cycles through, in order. */
    static final RejectionReason[] REASONS = {
            RejectionReason.INVALID_JSON, RejectionReason.NOT_AN_OBJECT, RejectionReason.MISSING_FIELD,
            RejectionReason.BAD_TIMESTAMP, RejectionReason.WRONG_TYPE, RejectionReason.EMPTY};

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventField[] REQUIRED = Arrays.stream(EventField.values())
            .filter(EventField::required).toArray(EventField[]::new);
    private static final String[] BAD_TIMES = {"yesterday", "2024-13-45 25:61:00", "31/12/2024 10:00", "1700000000", ""};

    private Malformer() {
    }

    static String body(RejectionReason reason, String wireJson, SplittableRandom r) {
        return switch (reason) {
            case INVALID_JSON -> wireJson.substring(0, wireJson.length() / 2 + r.nextInt(wireJson.length() / 4));
            case NOT_AN_OBJECT -> r.nextBoolean() ? "\"application_opened\"" : "12345";
            case MISSING_FIELD -> {
                ObjectNode o = parse(wireJson);
                o.remove(REQUIRED[r.nextInt(REQUIRED.length)].jsonName());
                yield o.toString();
            }
            case BAD_TIMESTAMP -> {
                ObjectNode o = parse(wireJson);
                String bad = BAD_TIMES[r.nextInt(BAD_TIMES.length - 1)];
                o.put(r.nextBoolean() ? EventField.TIMESTAMP.jsonName() : EventField.SENT_AT.jsonName(), bad);
                yield o.toString();
            }
            case WRONG_TYPE -> {
                ObjectNode o = parse(wireJson);
                if (r.nextBoolean()) {
                    o.put(EventField.ID.jsonName(), r.nextLong() & Long.MAX_VALUE);
                } else {
                    o.put(EventField.CONTEXT_NETWORK_WIFI.jsonName(), "yes");
                }
                yield o.toString();
            }
            case EMPTY -> r.nextBoolean() ? " " : "[]";
            // A JSON escape of a lone surrogate in the id: valid JSON, not valid Unicode.
            case INVALID_UNICODE -> wireJson.replaceFirst("\"id\": ?\"", "$0\\\\ud800");
            case TOO_LARGE -> throw new IllegalArgumentException("oversize is its own fault");
        };
    }

    /** A valid event's wire JSON with an unknown field that makes it exactly {@code targetBytes} long. */
    static String oversize(String wireJson, int targetBytes, SplittableRandom r) {
        ObjectNode o = parse(wireJson);
        // Measured on the compact form written below: the input may be spaced (the prototype's ", " and ": ").
        int room = targetBytes - o.toString().length() - ",\"debug_trace\":\"\"".length();
        StringBuilder trace = new StringBuilder(Math.max(0, room));
        while (trace.length() < room) {
            trace.append((char) ('a' + r.nextInt(26)));
        }
        o.put("debug_trace", trace.toString());
        return o.toString();
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
