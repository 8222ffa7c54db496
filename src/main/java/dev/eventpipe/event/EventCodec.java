package dev.eventpipe.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads message bodies into events and writes events as JSON lines. A body holds one event (a JSON
 * object), a JSON array of events, or a pack: gzip+base64 of NDJSON, one event per line. Thread-safe.
 *
 * <p>Two written forms: the wire form (unknown fields inline, as a client sends them) and the file
 * form (unknown fields as the JSON text of one {@code extra} string, so every field is a scalar
 * column the warehouses read directly). Both write timestamps in the file format of {@link Timestamps}.
 */
public final class EventCodec {

    /** Base64 of the gzip magic bytes 1f 8b 08: how a packed body begins. */
    private static final String PACK_PREFIX = "H4sI";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final int maxEventBytes;
    private final long maxUnpackedBytes;

    /** @param maxEventBytes events whose JSON is longer (UTF-8 bytes) are rejected as too large */
    public EventCodec(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        // A pack may hold at most this much: enough for SQS's largest message of small events, not a gzip bomb.
        this.maxUnpackedBytes = Math.max(64L << 20, 1_000L * maxEventBytes);
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    // ---------------------------------------------------------------- reading

    /** Decodes one message body. Never throws: whatever is wrong comes back as a {@link Rejection}. */
    public DecodedBody decode(String body) {
        int start = 0;
        while (start < body.length() && Character.isWhitespace(body.charAt(start))) {
            start++;
        }
        if (start == body.length()) {
            return DecodedBody.rejected(RejectionReason.EMPTY, "message body is blank", body);
        }
        char first = body.charAt(start);
        if (first == '{') {
            if (utf8Length(body) > maxEventBytes) {
                return DecodedBody.rejected(RejectionReason.TOO_LARGE,
                        "event is " + utf8Length(body) + " bytes, more than " + maxEventBytes, body);
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                return DecodedBody.rejected(RejectionReason.INVALID_JSON, jsonError(e), body);
            }
            return single(decodeObject((ObjectNode) node, () -> body));
        }
        if (first == '[') {
            return decodeArray(body);
        }
        if (body.startsWith(PACK_PREFIX, start)) {
            return decodePack(body);
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return DecodedBody.rejected(RejectionReason.NOT_AN_OBJECT,
                    "body is a JSON " + node.getNodeType().name().toLowerCase() + ", not an event object", body);
        } catch (JsonProcessingException e) {
            return DecodedBody.rejected(RejectionReason.INVALID_JSON, jsonError(e), body);
        }
    }

    private DecodedBody decodeArray(String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return DecodedBody.rejected(RejectionReason.INVALID_JSON, jsonError(e), body);
        }
        if (node.isEmpty()) {
            return DecodedBody.rejected(RejectionReason.EMPTY, "body is an empty array", body);
        }
        boolean mayBeTooLarge = utf8Length(body) > maxEventBytes;
        List<Event> events = new ArrayList<>(node.size());
        List<Rejection> rejections = new ArrayList<>(0);
        for (JsonNode element : node) {
            Supplier<String> raw = element::toString;
            Object result;
            if (!element.isObject()) {
                result = notAnObject(element, raw);
            } else if (mayBeTooLarge && utf8Length(element.toString()) > maxEventBytes) {
                result = tooLarge(utf8Length(element.toString()), raw);
            } else {
                result = decodeObject((ObjectNode) element, raw);
            }
            collect(result, events, rejections);
        }
        return new DecodedBody(events, rejections);
    }

    private DecodedBody decodePack(String body) {
        byte[] ndjson;
        try {
            byte[] gz = Base64.getMimeDecoder().decode(body.strip());
            ndjson = gunzip(gz);
        } catch (IllegalArgumentException | IOException e) {
            return DecodedBody.rejected(RejectionReason.INVALID_JSON,
                    "packed body is not base64 gzip: " + e.getMessage(), body);
        } catch (PackTooLargeException e) {
            return DecodedBody.rejected(RejectionReason.TOO_LARGE,
                    "packed body unpacks to more than " + maxUnpackedBytes + " bytes", body);
        }
        List<Event> events = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>(0);
        int from = 0;
        while (from < ndjson.length) {
            int end = from;
            while (end < ndjson.length && ndjson[end] != '\n') {
                end++;
            }
            int len = end - from;
            if (len > 0 && !(len == 1 && ndjson[from] == '\r')) {
                collect(decodeLine(ndjson, from, len), events, rejections);
            }
            from = end + 1;
        }
        if (events.isEmpty() && rejections.isEmpty()) {
            return DecodedBody.rejected(RejectionReason.EMPTY, "packed body holds no lines", body);
        }
        return new DecodedBody(events, rejections);
    }

    private Object decodeLine(byte[] buf, int offset, int len) {
        Supplier<String> raw = () -> new String(buf, offset, len, StandardCharsets.UTF_8);
        if (len > maxEventBytes) {
            return tooLarge(len, raw);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(buf, offset, len);
        } catch (IOException e) {
            return new Rejection(RejectionReason.INVALID_JSON, jsonError(e), raw.get());
        }
        if (node == null || node.isMissingNode()) {
            return new Rejection(RejectionReason.EMPTY, "line is blank", raw.get());
        }
        return node.isObject() ? decodeObject((ObjectNode) node, raw) : notAnObject(node, raw);
    }

    /** Checks every known field of {@code o}; unknown fields go to {@code extra}. Returns an Event or a Rejection. */
    private Object decodeObject(ObjectNode o, Supplier<String> raw) {
        Event.Builder b = Event.builder();
        for (EventField f : EventField.all()) {
            if (f.stamped()) {
                continue;
            }
            JsonNode v = o.get(f.jsonName());
            if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
                if (f.required()) {
                    return new Rejection(RejectionReason.MISSING_FIELD, "missing field '" + f.jsonName() + "'", raw.get());
                }
                continue;
            }
            switch (f.type()) {
                case TEXT -> {
                    String s;
                    if (v.isTextual()) {
                        s = v.textValue();
                    } else if (f == EventField.USER_ID && v.isIntegralNumber()) {
                        // Segment's API and the prototype's INTEGER column: a user id may be a JSON integer, kept as its digits.
                        s = v.bigIntegerValue().toString();
                    } else {
                        return wrongType(f, v, f == EventField.USER_ID ? "a string or an integer" : "a string", raw);
                    }
                    if (s.length() > f.maxLength()) {
                        return new Rejection(RejectionReason.TOO_LARGE, "field '" + f.jsonName() + "' is "
                                + s.length() + " characters, more than " + f.maxLength(), raw.get());
                    }
                    b.set(f, s);
                }
                case TIMESTAMP, TIMESTAMP_TZ -> {
                    if (!v.isTextual()) {
                        return wrongType(f, v, "a timestamp string", raw);
                    }
                    OffsetDateTime t;
                    try {
                        t = Timestamps.parse(v.textValue());
                    } catch (IllegalArgumentException e) {
                        return new Rejection(RejectionReason.BAD_TIMESTAMP, "bad timestamp in '" + f.jsonName()
                                + "': '" + abbreviate(v.textValue()) + "'", raw.get());
                    }
                    b.set(f, f.type() == FieldType.TIMESTAMP ? t.toInstant() : t);
                }
                case BOOLEAN -> {
                    if (!v.isBoolean()) {
                        return wrongType(f, v, "true or false", raw);
                    }
                    b.set(f, v.booleanValue());
                }
            }
        }
        if (o.size() > 0) {
            ObjectNode unknown = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (EventField.byName(e.getKey()) == null) {
                    if (unknown == null) {
                        unknown = MAPPER.createObjectNode();
                    }
                    unknown.set(e.getKey(), e.getValue());
                }
            }
            if (unknown != null) {
                b.extra(unknown.toString());
            }
        }
        return b.build();
    }

    private static Rejection wrongType(EventField f, JsonNode v, String expected, Supplier<String> raw) {
        return new Rejection(RejectionReason.WRONG_TYPE, "wrong type in '" + f.jsonName() + "': expected "
                + expected + ", got " + v.getNodeType().name().toLowerCase(), raw.get());
    }

    private Rejection tooLarge(int bytes, Supplier<String> raw) {
        return new Rejection(RejectionReason.TOO_LARGE, "event is " + bytes + " bytes, more than " + maxEventBytes, raw.get());
    }

    private static Rejection notAnObject(JsonNode node, Supplier<String> raw) {
        return new Rejection(RejectionReason.NOT_AN_OBJECT,
                "element is a JSON " + node.getNodeType().name().toLowerCase() + ", not an event object", raw.get());
    }

    private static DecodedBody single(Object result) {
        return result instanceof Event e
                ? new DecodedBody(List.of(e), List.of())
                : new DecodedBody(List.of(), List.of((Rejection) result));
    }

    private static void collect(Object result, List<Event> events, List<Rejection> rejections) {
        if (result instanceof Event e) {
            events.add(e);
        } else {
            rejections.add((Rejection) result);
        }
    }

    private static String jsonError(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            m = m + " at column " + j.getLocation().getColumnNr();
        }
        return "invalid JSON: " + abbreviate(m.replace('\n', ' '));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The UTF-8 length of {@code s} in bytes, without encoding it. */
    public static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return n;
    }

    private static final class PackTooLargeException extends RuntimeException {
        PackTooLargeException() {
            super(null, null, false, false);
        }
    }

    private byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 6);
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxUnpackedBytes) {
                    throw new PackTooLargeException();
                }
            }
            return out.toByteArray();
        }
    }

    // ---------------------------------------------------------------- writing

    /** How {@code original_timestamp} is written on the wire. */
    public enum WireFormat {
        /** The original prototype's: {@code 2026-11-25 16:17:53.319991+0100}. */
        PROTOTYPE,
        /** ISO-8601: {@code 2026-11-25T16:17:53.319991+01:00}. */
        ISO
    }

    /** The event as a client sends it: unknown fields inline, {@code original_timestamp} in ISO-8601. */
    public String toWireJson(Event e) {
        return write(e, false, WireFormat.ISO);
    }

    /** The event as a client sends it, {@code original_timestamp} in {@code format}. */
    public String toWireJson(Event e, WireFormat format) {
        return write(e, false, format);
    }

    /** The event as stored in a DFS file: one line of scalars, unknown fields as the text of {@code extra}. */
    public String toFileLine(Event e) {
        return write(e, true, WireFormat.ISO);
    }

    private static String write(Event e, boolean fileForm, WireFormat format) {
        // Jackson's own recycled-buffer writer: no synchronized StringBuffer, no growing copies.
        SegmentedStringWriter w = new SegmentedStringWriter(FACTORY._getBufferRecycler());
        try {
            writeObject(e, fileForm, format, w);
            return w.getAndClear();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeObject(Event e, boolean fileForm, WireFormat format, java.io.Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            for (EventField f : EventField.all()) {
                Object v = e.get(f);
                if (v == null || (f.stamped() && !fileForm)) {
                    continue;
                }
                switch (f.type()) {
                    case TEXT -> g.writeStringField(f.jsonName(), (String) v);
                    case TIMESTAMP -> g.writeStringField(f.jsonName(), Timestamps.formatUtc((Instant) v));
                    case TIMESTAMP_TZ -> g.writeStringField(f.jsonName(), format == WireFormat.PROTOTYPE
                            ? Timestamps.formatPrototype((OffsetDateTime) v) : Timestamps.formatWithOffset((OffsetDateTime) v));
                    case BOOLEAN -> g.writeBooleanField(f.jsonName(), (Boolean) v);
                }
            }
            String extra = e.extra();
            if (extra != null) {
                if (fileForm) {
                    g.writeStringField(EventField.EXTRA, extra);
                } else if (!extra.substring(1, extra.length() - 1).isBlank()) {
                    // extra is the JSON text of an object we wrote: its members go inline as they are.
                    g.writeRaw(',');
                    g.writeRaw(extra, 1, extra.length() - 2);
                }
            }
            g.writeEndObject();
        }
    }

    /** Packs JSON lines into one body: gzip of the lines joined by newlines, in base64. */
    public static String pack(List<String> jsonLines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(jsonLines.size() * 200 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
            for (String line : jsonLines) {
                gz.write(line.getBytes(StandardCharsets.UTF_8));
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
