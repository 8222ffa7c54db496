package dev.eventpipe.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.EventField;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A Segment {@code context} split in two: the leaves that are eventpipe columns, by the name Segment's
 * warehouses give them ({@code context.device.adTrackingEnabled} is {@code context_device_ad_tracking_enabled}),
 * and the rest, in its own shape, for {@code extra}.
 *
 * @param rest the context without the leaves taken as columns (objects left empty are gone), or null when nothing is left
 */
record ContextColumns(Map<EventField, JsonNode> values, ObjectNode rest) {

    static ContextColumns of(ObjectNode context) {
        Map<EventField, JsonNode> values = new EnumMap<>(EventField.class);
        if (context == null) {
            return new ContextColumns(values, null);
        }
        ObjectNode rest = split(context, "context", values);
        return new ContextColumns(values, rest);
    }

    /** The part of {@code node} that is not a column; columns found go into {@code values} (the first of a name wins). */
    private static ObjectNode split(ObjectNode node, String prefix, Map<EventField, JsonNode> values) {
        ObjectNode rest = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = prefix + "_" + SegmentMapper.snake(f.getKey());
            JsonNode keep = f.getValue();
            if (f.getValue() instanceof ObjectNode child) {
                keep = child.isEmpty() ? child : split(child, name, values);
            } else {
                EventField column = EventField.byName(name);
                if (column != null && !f.getValue().isNull() && !values.containsKey(column)) {
                    values.put(column, f.getValue());
                    keep = null;
                }
            }
            if (keep != null) {
                if (rest == null) {
                    rest = node.objectNode();
                }
                rest.set(f.getKey(), keep);
            }
        }
        return rest;
    }
}
