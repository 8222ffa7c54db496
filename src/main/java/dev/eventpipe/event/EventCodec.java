package dev.eventpipe.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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

    /**
     * Duplicate keys are refused: which of two ids would be the event's is not for us to guess. Written as
     * UTF-8, a surrogate pair becomes its 4-byte sequence, as {@link String#getBytes} makes it, not two escapes.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /** The keys with their UTF-8 and escaped forms made once, not per line. */
    private static final SerializedString[] NAMES = Arrays.stream(EventField.all())
            .map(f -> new SerializedString(f.jsonName())).toArray(SerializedString[]::new);
    private static final SerializedString EXTRA_NAME = new SerializedString(EventField.EXTRA);

    private final int maxEventBytes;
    private final long maxUnpackedBytes;
    private final EventReader reader = new EventReader(FACTORY);

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
            if (mayExceed(body.length())) {
                int bytes = utf8Length(body);
                if (bytes > maxEventBytes) {
                    return DecodedBody.rejected(RejectionReason.TOO_LARGE, "event is " + bytes + " bytes, more than " + maxEventBytes, body);
                }
            }
            return decodeSingle(body);
        }
        if (first == '[') {
            return decodeArray(body);
        }
        if (body.startsWith(PACK_PREFIX, start)) {
            return decodePack(body);
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing text after the JSON value");
            }
            return DecodedBody.rejected(RejectionReason.NOT_AN_OBJECT,
                    "body is a JSON " + EventReader.kind(t) + ", not an event object", body);
        } catch (IOException e) {
            return DecodedBody.rejected(jsonReason(e), jsonError(e), body);
        }
    }

    /**
     * Why the event object whose START_OBJECT is the parser's current token is no valid event, or null
     * when it is one: {@link #decode}'s checks without building the event, for a producer that writes
     * events as tokens and sends their bytes (the collector checks each call it mapped). The size limit is
     * the caller's to check, since only it has the bytes.
     */
    public RejectionReason check(JsonParser p) {
        try {
            EventReader.Problem problem = reader.check(p);
            return problem == null ? null : problem.reason();
        } catch (IOException e) {
            return jsonReason(e);
        }
    }

    /** One object: the whole body is the event's raw text. */
    private DecodedBody decodeSingle(String body) {
        Object result;
        try (JsonParser p = FACTORY.createParser(body)) {
            p.nextToken();
            result = reader.read(p);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing text after the event object");
            }
        } catch (IOException e) {
            return DecodedBody.rejected(jsonReason(e), jsonError(e), body);
        }
        return result instanceof Event e
                ? new DecodedBody(List.of(e), List.of())
                : new DecodedBody(List.of(), List.of(rejection((EventReader.Problem) result, body, 0)));
    }

    /**
     * An array of events: each element is checked on its own and keeps its exact text as its raw
     * form. JSON that is invalid anywhere rejects the whole body, since no element of it can be trusted.
     */
    private DecodedBody decodeArray(String body) {
        List<Object> results = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonParseException(p, "the array does not end");
                }
                long from = p.currentTokenLocation().getCharOffset();
                Object result;
                if (t == JsonToken.START_OBJECT) {
                    result = reader.read(p);
                } else {
                    p.skipChildren();
                    p.finishToken();
                    result = new EventReader.Problem(RejectionReason.NOT_AN_OBJECT,
                            "element is a JSON " + EventReader.kind(t) + ", not an event object");
                }
                long to = t.isScalarValue() ? p.currentLocation().getCharOffset() : p.currentTokenLocation().getCharOffset() + 1;
                results.add(result);
                spans.add(new long[] {from, to});
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing text after the array");
            }
        } catch (IOException e) {
            return DecodedBody.rejected(jsonReason(e), jsonError(e), body);
        }
        if (results.isEmpty()) {
            return DecodedBody.rejected(RejectionReason.EMPTY, "body is an empty array", body);
        }
        boolean mayBeTooLarge = mayExceed(body.length()) && utf8Length(body) > maxEventBytes;
        List<Event> events = new ArrayList<>(results.size());
        List<Rejection> rejections = new ArrayList<>(0);
        for (int i = 0; i < results.size(); i++) {
            Object r = results.get(i);
            long[] span = spans.get(i);
            if (r instanceof Event e) {
                int bytes = mayBeTooLarge ? utf8Length(body, (int) span[0], (int) span[1]) : 0;
                if (bytes > maxEventBytes) {
                    rejections.add(tooLarge(bytes, body.substring((int) span[0], (int) span[1]), i));
                } else {
                    events.add(e);
                }
            } else {
                rejections.add(rejection((EventReader.Problem) r, body.substring((int) span[0], (int) span[1]), i));
            }
        }
        return new DecodedBody(events, rejections);
    }

    private DecodedBody decodePack(String body) {
        byte[] ndjson;
        try {
            byte[] gz = Base64.getMimeDecoder().decode(body.strip());
            ndjson = gunzip(gz);
        } catch (IllegalArgumentException | IOException e) {
            return DecodedBody.rejected(RejectionReason.INVALID_JSON, "packed body is not base64 gzip: " + describe(e), body);
        } catch (PackTooLargeException e) {
            return DecodedBody.rejected(RejectionReason.TOO_LARGE,
                    "packed body unpacks to more than " + maxUnpackedBytes + " bytes", body);
        }
        List<Event> events = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>(0);
        int from = 0;
        int line = 0;
        while (from < ndjson.length) {
            int end = from;
            while (end < ndjson.length && ndjson[end] != '\n') {
                end++;
            }
            int len = end - from;
            if (len > 0 && ndjson[end - 1] == '\r') {
                len--;
            }
            if (len > 0) {
                Decoded d = decodeLine(ndjson, from, len, line);
                if (d instanceof Event e) {
                    events.add(e);
                } else {
                    rejections.add((Rejection) d);
                }
            }
            from = end + 1;
            line++;
        }
        if (events.isEmpty() && rejections.isEmpty()) {
            return DecodedBody.rejected(RejectionReason.EMPTY, "packed body holds no lines", body);
        }
        return new DecodedBody(events, rejections);
    }

    /** One line of a pack; bytes that are not UTF-8 are refused whole and kept as a pack of themselves. */
    private Decoded decodeLine(byte[] buf, int offset, int len, int line) {
        String text = Utf8.decodeOrNull(buf, offset, len);
        if (text == null) {
            return new Rejection(RejectionReason.INVALID_UNICODE, "line " + (line + 1) + " of the pack is not UTF-8",
                    packBytes(List.of(Arrays.copyOfRange(buf, offset, offset + len))), line);
        }
        if (len > maxEventBytes) {
            return tooLarge(len, text, line);
        }
        if (text.isBlank()) {
            return new Rejection(RejectionReason.EMPTY, "line is blank", text, line);
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            Object result;
            if (t == JsonToken.START_OBJECT) {
                result = reader.read(p);
            } else {
                p.skipChildren();
                result = new EventReader.Problem(RejectionReason.NOT_AN_OBJECT,
                        "line is a JSON " + EventReader.kind(t) + ", not an event object");
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing text after the JSON value");
            }
            return result instanceof Event e ? e : rejection((EventReader.Problem) result, text, line);
        } catch (IOException e) {
            return new Rejection(jsonReason(e), jsonError(e), text, line);
        }
    }

    private static Rejection rejection(EventReader.Problem p, String raw, int index) {
        return new Rejection(p.reason(), p.detail(), raw, index);
    }

    private Rejection tooLarge(int bytes, String raw, int index) {
        return new Rejection(RejectionReason.TOO_LARGE, "event is " + bytes + " bytes, more than " + maxEventBytes, raw, index);
    }

    /** Jackson itself refuses some broken Unicode (a lone surrogate in a field name): that is the Unicode's fault, not the JSON's. */
    private static RejectionReason jsonReason(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("surrogate") ? RejectionReason.INVALID_UNICODE : RejectionReason.INVALID_JSON;
    }

    private static String jsonError(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getColumnNr() > 0) {
            m = m + " at column " + j.getLocation().getColumnNr();
        }
        return "invalid JSON: " + Details.safe(m.replace('\n', ' '));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + Details.safe(e.getMessage());
    }

    /**
     * Whether {@code chars} chars of text can be more than the event limit in UTF-8: a char is at most
     * 3 bytes (a surrogate pair, 2 chars, is 4), so shorter text need not be counted byte by byte,
     * which was 6 % of the collector's CPU.
     */
    private boolean mayExceed(int chars) {
        return chars * 3L > maxEventBytes;
    }

    /** The UTF-8 length of {@code s} in bytes, without encoding it. */
    public static int utf8Length(String s) {
        return utf8Length(s, 0, s.length());
    }

    private static int utf8Length(String s, int from, int to) {
        int n = to - from;
        for (int i = from; i < to; i++) {
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
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(gz.length * 6, 1 << 20));
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

    /**
     * {@link #toFileLine} as UTF-8 bytes, encoded strictly (an unpaired surrogate fails, never becomes '?').
     * Written as bytes in one pass: a String first and its bytes after cost a consumer two more passes per line.
     *
     * @throws IllegalArgumentException when a text of the event holds an unpaired surrogate, which UTF-8 cannot code
     */
    public byte[] toFileBytes(Event e) {
        if (!e.unicodeChecked()) {
            requireNoLoneSurrogate(e);
        }
        ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler());
        try {
            try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                writeObject(e, true, WireFormat.ISO, g);
            }
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            out.release();
        }
    }

    /** A line holds an unpaired surrogate exactly when one of its texts does: JSON escapes are ASCII and never pair one. */
    private static void requireNoLoneSurrogate(Event e) {
        for (EventField f : EventField.all()) {
            if (f.type() == FieldType.TEXT && e.get(f) instanceof String s && Utf8.hasLoneSurrogate(s)) {
                throw new IllegalArgumentException("field '" + f.jsonName() + "' holds an unpaired UTF-16 surrogate, which UTF-8 cannot code");
            }
        }
        if (e.extra() != null && Utf8.hasLoneSurrogate(e.extra())) {
            throw new IllegalArgumentException("field 'extra' holds an unpaired UTF-16 surrogate, which UTF-8 cannot code");
        }
    }

    private static String write(Event e, boolean fileForm, WireFormat format) {
        // Jackson's own recycled-buffer writer: no synchronized StringBuffer, no growing copies.
        SegmentedStringWriter w = new SegmentedStringWriter(FACTORY._getBufferRecycler());
        try {
            try (JsonGenerator g = FACTORY.createGenerator(w)) {
                writeObject(e, fileForm, format, g);
            }
            return w.getAndClear();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeObject(Event e, boolean fileForm, WireFormat format, JsonGenerator g) throws IOException {
        char[] time = null;
        g.writeStartObject();
        for (EventField f : EventField.all()) {
            Object v = e.get(f);
            if (v == null || (f.stamped() && !fileForm)) {
                continue;
            }
            g.writeFieldName(NAMES[f.ordinal()]);
            switch (f.type()) {
                case TEXT -> g.writeString((String) v);
                case TIMESTAMP -> {
                    if (time == null) {
                        time = new char[Timestamps.UTC_LENGTH];
                    }
                    Timestamps.formatUtc((Instant) v, time);
                    g.writeString(time, 0, time.length);
                }
                case TIMESTAMP_TZ -> g.writeString(format == WireFormat.PROTOTYPE
                        ? Timestamps.formatPrototype((OffsetDateTime) v) : Timestamps.formatWithOffset((OffsetDateTime) v));
                case BOOLEAN -> g.writeBoolean((Boolean) v);
            }
        }
        String extra = e.extra();
        if (extra != null) {
            if (fileForm) {
                g.writeFieldName(EXTRA_NAME);
                g.writeString(extra);
            } else if (!extra.substring(1, extra.length() - 1).isBlank()) {
                // extra is the JSON text of an object we wrote: its members go inline as they are.
                g.writeRaw(',');
                g.writeRaw(extra, 1, extra.length() - 2);
            }
        }
        g.writeEndObject();
    }

    /**
     * Packs JSON lines into one body: gzip of the lines joined by newlines, in base64.
     *
     * @throws IllegalArgumentException when a line is not valid Unicode (it would not come back the same)
     */
    public static String pack(List<String> jsonLines) {
        List<byte[]> lines = new ArrayList<>(jsonLines.size());
        for (String line : jsonLines) {
            lines.add(Utf8.encode(line));
        }
        return packBytes(lines);
    }

    /** Packs lines given as bytes, exactly as they are. */
    public static String packBytes(List<byte[]> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(lines.size() * 200 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
            for (byte[] line : lines) {
                gz.write(line);
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
