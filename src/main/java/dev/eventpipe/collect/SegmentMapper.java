package dev.eventpipe.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.event.Timestamps;
import dev.eventpipe.event.Utf8;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One Segment call (track, page, screen, identify, group, alias) as an eventpipe event in its wire form
 * (README, "Segment's fields in eventpipe"): {@code messageId} becomes {@code id}, {@code context.*} is
 * flattened with {@code _} into the {@code context_*} columns, the times follow {@link SegmentTimes}, and
 * everything else is kept inline, to be the event's {@code extra}. The values of columns are copied as
 * sent: whether they are valid is for the codec to say, as it does for every event.
 */
final class SegmentMapper {

    /** Segment's method names; anything else is read as a track call. */
    private static final java.util.Set<String> NAMED_BY_TYPE = java.util.Set.of("page", "screen", "identify", "group", "alias");

    private final ObjectMapper json;

    /** Writes lines as the text's UTF-8: a character beyond the BMP as its 4 bytes, not as Jackson's default two escapes. */
    private static final JsonFactory UTF8_LINES = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    SegmentMapper(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The wire JSON of {@code call}, as tokens: the codec checks them without parsing text, and
     * {@link #line} writes them as the queue's bytes.
     *
     * @param pathType   the type the path names ({@code /v1/track}: track), or null for an item of a batch
     * @param envelope   what a batch says for all its items: {@code sentAt}, {@code context}, {@code integrations}
     * @param receipt    the request's arrival, shared by its calls
     */
    TokenBuffer map(ObjectNode call, String pathType, Envelope envelope, Receipt receipt) {
        String type = pathType != null ? pathType : text(call.get("type"));
        boolean named = type != null && NAMED_BY_TYPE.contains(type);
        JsonNode timestampNode = call.has("timestamp") ? call.get("timestamp") : call.get("originalTimestamp");
        String timestampKey = call.has("timestamp") ? "timestamp" : "originalTimestamp";
        JsonNode sentNode = call.has("sentAt") ? call.get("sentAt") : envelope.sentAt();
        String sentText = text(sentNode);
        SegmentTimes times = SegmentTimes.of(receipt.at(), receipt.sentAt(sentText), text(timestampNode));
        ObjectNode context = merged(envelope.context(), call.get("context"));
        ContextColumns columns = ContextColumns.of(context);

        TokenBuffer out = new TokenBuffer(json, false);
        try (JsonGenerator g = out) {
            g.writeStartObject();
            JsonNode messageId = call.get("messageId");
            if (messageId == null || messageId.isNull() || messageId.isTextual() && messageId.asText().isEmpty()) {
                // Segment's own answer to a call without one; such a call, sent twice, is two events.
                g.writeStringField(EventField.ID.jsonName(), UUID.randomUUID().toString());
            } else {
                field(g, EventField.ID, messageId);
            }
            field(g, EventField.ANONYMOUS_ID, call.get("anonymousId"));
            field(g, EventField.USER_ID, call.get("userId"));
            if (named) {
                g.writeStringField(EventField.EVENT.jsonName(), type);
                field(g, EventField.EVENT_TEXT, call.get("name"));
            } else {
                JsonNode event = call.get("event");
                field(g, EventField.EVENT, event != null && event.isTextual() ? json.getNodeFactory().textNode(slug(event.asText())) : event);
                field(g, EventField.EVENT_TEXT, event);
            }
            g.writeStringField(EventField.TIMESTAMP.jsonName(),
                    times.timestamp() == receipt.at() ? receipt.atText() : Timestamps.formatUtc(times.timestamp()));
            if (times.original() != null) {
                g.writeStringField(EventField.ORIGINAL_TIMESTAMP.jsonName(), Timestamps.formatWithOffset(times.original()));
            }
            g.writeStringField(EventField.SENT_AT.jsonName(), receipt.sentAtText(sentText));
            g.writeStringField(EventField.RECEIVED_AT.jsonName(), receipt.atText());
            for (Map.Entry<EventField, JsonNode> c : columns.values().entrySet()) {
                field(g, c.getKey(), c.getValue());
            }
            if (!columns.values().containsKey(EventField.CONTEXT_DEVICE_TYPE)) {
                g.writeStringField(EventField.CONTEXT_DEVICE_TYPE.jsonName(), defaultDeviceType(context));
            }

            Map<String, JsonNode> extra = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = call.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String k = f.getKey();
                boolean used = switch (k) {
                    case "messageId", "anonymousId", "userId", "writeKey" -> true;
                    case "context" -> f.getValue().isObject() || f.getValue().isNull();
                    case "event" -> !named;
                    case "name" -> named;
                    case "sentAt" -> receipt.sentAt(text(f.getValue())) != null;
                    case "timestamp", "originalTimestamp" -> k.equals(timestampKey) && times.original() != null;
                    default -> false;
                };
                if (!used) {
                    extra.put(k, f.getValue());
                }
            }
            if (envelope.integrations() != null && !call.has("integrations")) {
                extra.put("integrations", envelope.integrations());
            }
            if (columns.rest() != null) {
                extra.put("context", columns.rest());
            }
            for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
                g.writeFieldName(unclashed(e.getKey(), extra));
                write(g, e.getValue());
            }
            g.writeEndObject();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A mapped call as the queue's line, and why the consumer will reject it (null when it will not).
     *
     * @param rejected the codec's reason, or null for a valid event
     */
    record Line(byte[] bytes, RejectionReason rejected) {
    }

    /**
     * The line of {@code mapped}, checked by the codec as the consumer will check it. A valid event is
     * written straight to UTF-8 (its checks found no unpaired surrogate); one the consumer will reject is
     * kept as it is, unpaired surrogates too, so that it is dead-lettered with its reason.
     */
    Line line(TokenBuffer mapped, EventCodec codec) {
        try {
            RejectionReason rejected;
            try (JsonParser p = mapped.asParser()) {
                p.nextToken();
                rejected = codec.check(p);
            }
            if (rejected != null) {
                // Rare, so the reason counted is worked out as the consumer will: a line that is no UTF-8 is refused
                // for that before it is read, any other is decoded whole.
                String text = text(mapped);
                if (Utf8.hasLoneSurrogate(text)) {
                    return new Line(Utf8.encodeLossless(text), RejectionReason.INVALID_UNICODE);
                }
                DecodedBody decoded = codec.decode(text);
                return new Line(Utf8.encode(text), decoded.rejections().isEmpty() ? rejected : decoded.rejections().get(0).reason());
            }
            ByteArrayBuilder bytes = new ByteArrayBuilder(UTF8_LINES._getBufferRecycler());
            try (JsonGenerator g = UTF8_LINES.createGenerator(bytes)) {
                mapped.serialize(g);
            }
            byte[] line = bytes.toByteArray();
            bytes.release();
            return new Line(line, line.length > codec.maxEventBytes() ? RejectionReason.TOO_LARGE : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text of {@code mapped}. */
    String text(TokenBuffer mapped) {
        SegmentedStringWriter out = new SegmentedStringWriter(json.getFactory()._getBufferRecycler());
        try {
            try (JsonGenerator g = json.getFactory().createGenerator(out)) {
                mapped.serialize(g);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a batch request says for all its items. */
    record Envelope(JsonNode sentAt, ObjectNode context, JsonNode integrations) {
        static final Envelope NONE = new Envelope(null, null, null);
    }

    private static void field(JsonGenerator g, EventField f, JsonNode value) throws IOException {
        if (value != null && !value.isNull()) {
            g.writeFieldName(f.jsonName());
            write(g, value);
        }
    }

    /**
     * Writes {@code node} as it was read. Jackson's {@code writeTree} goes through the ObjectMapper, which
     * builds a serializer provider for every value: that was a tenth of the collector's CPU per event.
     * Scalars write themselves (numbers keep their exact value), containers are walked here.
     */
    static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (node instanceof ObjectNode o) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                g.writeFieldName(f.getKey());
                write(g, f.getValue());
            }
            g.writeEndObject();
        } else if (node instanceof ArrayNode a) {
            g.writeStartArray();
            for (JsonNode item : a) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            ((JsonSerializable) node).serialize(g, null);
        }
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /**
     * A key of {@code extra} that is also a column's name ({@code "timestamp"} kept as sent because it was
     * no usable time) goes under {@code segment_<key>}: the event cannot hold two fields of one name.
     */
    private static String unclashed(String key, Map<String, JsonNode> extra) {
        String k = key;
        while (EventField.byName(k) != null || (!k.equals(key) && extra.containsKey(k))) {
            k = "segment_" + k;
        }
        return k;
    }

    /**
     * Segment's warehouse name of an event: {@code Order Completed} and {@code orderCompleted} become
     * {@code order_completed} (the prototype's {@code event} beside its {@code event_text}).
     */
    static String slug(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        boolean gap = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                boolean camel = Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                if ((gap || camel) && b.length() > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
                gap = false;
            } else {
                gap = true;
            }
        }
        return b.length() == 0 ? name : b.toString();
    }

    /** Context keys seen, snake-cased: SDKs send the same few on every call. Bounded: keys come from clients. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> SNAKE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SNAKE_CACHE = 4096;

    /** {@code adTrackingEnabled} as {@code ad_tracking_enabled}. */
    static String snake(String key) {
        String known = SNAKE.get(key);
        if (known != null) {
            return known;
        }
        String s = toSnake(key);
        if (SNAKE.size() < SNAKE_CACHE) {
            SNAKE.put(key, s);
        }
        return s;
    }

    private static String toSnake(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1)) && key.charAt(i - 1) != '_') {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Web when a browser sent it (analytics.js puts the user agent in the context), else server: the
     * column is required, and SDKs other than the mobile ones do not say.
     */
    private static String defaultDeviceType(ObjectNode context) {
        if (context == null) {
            return "server";
        }
        String library = text(context.path("library").get("name"));
        return context.has("userAgent") || library != null && library.startsWith("analytics.js") ? "web" : "server";
    }

    /** The batch's context under the item's own: the item's value wins, objects merge key by key. */
    private ObjectNode merged(ObjectNode batch, JsonNode own) {
        ObjectNode item = own instanceof ObjectNode o ? o : null;
        if (batch == null) {
            return item;
        }
        if (item == null) {
            return batch;
        }
        ObjectNode out = batch.deepCopy();
        deepMerge(out, item);
        return out;
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue() instanceof ObjectNode o && into.get(f.getKey()) instanceof ObjectNode existing) {
                deepMerge(existing, o);
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }
}
