package dev.eventpipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's events as a mobile SDK sends them to Segment's API (camelCase, context nested), for
 * driving the collector with realistic bodies.
 */
public final class SegmentCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentCalls() {
    }

    /** One event as a Segment track call. */
    public static ObjectNode track(Event e) {
        ObjectNode c = JSON.createObjectNode();
        c.put("type", "track");
        c.put("event", (String) e.get(EventField.EVENT_TEXT));
        c.put("messageId", e.id());
        c.put("anonymousId", (String) e.get(EventField.ANONYMOUS_ID));
        if (e.get(EventField.USER_ID) != null) {
            c.put("userId", (String) e.get(EventField.USER_ID));
        }
        Object original = e.get(EventField.ORIGINAL_TIMESTAMP);
        c.put("timestamp", original instanceof OffsetDateTime o ? o.toString() : ((Instant) e.get(EventField.TIMESTAMP)).toString());
        c.put("sentAt", ((Instant) e.get(EventField.SENT_AT)).toString());
        ObjectNode context = c.putObject("context");
        ObjectNode device = context.putObject("device");
        device.put("type", (String) e.get(EventField.CONTEXT_DEVICE_TYPE));
        putText(device, "model", e.get(EventField.CONTEXT_DEVICE_MODEL));
        putText(device, "manufacturer", e.get(EventField.CONTEXT_DEVICE_MANUFACTURER));
        if (e.get(EventField.CONTEXT_DEVICE_AD_TRACKING_ENABLED) instanceof Boolean b) {
            device.put("adTrackingEnabled", b);
        }
        putText(context.putObject("app"), "version", e.get(EventField.CONTEXT_APP_VERSION));
        ObjectNode library = context.putObject("library");
        putText(library, "name", e.get(EventField.CONTEXT_LIBRARY_NAME));
        putText(library, "version", e.get(EventField.CONTEXT_LIBRARY_VERSION));
        putText(context.putObject("os"), "name", e.get(EventField.CONTEXT_OS_NAME));
        ObjectNode network = context.putObject("network");
        if (e.get(EventField.CONTEXT_NETWORK_WIFI) instanceof Boolean b) {
            network.put("wifi", b);
        }
        putText(network, "carrier", e.get(EventField.CONTEXT_NETWORK_CARRIER));
        putText(context, "locale", e.get(EventField.CONTEXT_LOCALE));
        putText(context, "timezone", e.get(EventField.CONTEXT_TIMEZONE));
        putText(context.putObject("traits"), "taxfix_language", e.get(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE));
        c.putObject("properties").put("screen", "home").put("step", 1);
        return c;
    }

    private static void putText(ObjectNode o, String name, Object value) {
        if (value instanceof String s) {
            o.put(name, s);
        }
    }

    /** {@code {"batch": [...]}} bodies of {@code perBody} calls each, from {@code events} in turn. */
    public static List<byte[]> batches(List<Event> events, int perBody, int bodies) {
        List<byte[]> out = new ArrayList<>(bodies);
        int next = 0;
        for (int b = 0; b < bodies; b++) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode batch = body.putArray("batch");
            for (int i = 0; i < perBody; i++) {
                batch.add(track(events.get(next++ % events.size())));
            }
            body.put("sentAt", Instant.now().toString());
            out.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** One track call per body. */
    public static List<byte[]> singles(List<Event> events) {
        return events.stream().map(e -> track(e).toString().getBytes(StandardCharsets.UTF_8)).toList();
    }
}
