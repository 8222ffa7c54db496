package dev.eventpipe.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The file line as bytes, written straight as UTF-8, against the line as it was written before: a String from
 * Jackson's character generator, then encoded strictly. Over hostile text the two must agree byte for byte, and
 * where the old way refused an event (an unpaired surrogate) the new one must refuse it too.
 */
class FileLineBytesTest {

    private final EventCodec codec = new EventCodec(1 << 20);

    /** The file line exactly as the codec wrote it before it wrote bytes itself (kept here as the reference). */
    private static byte[] oldFileBytes(Event e) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            for (EventField f : EventField.all()) {
                Object v = e.get(f);
                if (v == null) {
                    continue;
                }
                switch (f.type()) {
                    case TEXT -> g.writeStringField(f.jsonName(), (String) v);
                    case TIMESTAMP -> g.writeStringField(f.jsonName(), Timestamps.formatUtc((Instant) v));
                    case TIMESTAMP_TZ -> g.writeStringField(f.jsonName(), Timestamps.formatWithOffset((OffsetDateTime) v));
                    case BOOLEAN -> g.writeBooleanField(f.jsonName(), (Boolean) v);
                }
            }
            if (e.extra() != null) {
                g.writeStringField(EventField.EXTRA, e.extra());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return Utf8.encode(w.toString());
    }

    private static final String[] HOSTILE = {
        "", "plain", "\"quoted\" and \\backslashed\\ and /slashed/", "\u0000\u0001\u001f\u007f\u0080\u009f",
        "\n\r\t\b\f", "\u2028\u2029 line separators", "\ufeff\ufffe\uffff", "é ü ß 東京 Ω",
        "\ud83d\ude00", "a\ud83d\ude00b\ud800\udc00\udbff\udfff", "<script>alert(1)</script>", "\\u0000 as text",
        "\ud83d\ude00".repeat(3000), "x".repeat(7999) + "\ud83d\ude00" + "y".repeat(100),
    };

    private static Event.Builder base() {
        return Event.builder()
                .set(EventField.ID, "e-1")
                .set(EventField.ANONYMOUS_ID, "a-1")
                .set(EventField.EVENT, "x")
                .set(EventField.TIMESTAMP, Instant.parse("2026-11-26T10:00:00.123456Z"))
                .set(EventField.SENT_AT, Instant.parse("2026-11-26T10:00:01Z"))
                .set(EventField.RECEIVED_AT, Instant.parse("2026-11-26T10:00:02Z"))
                .set(EventField.CONTEXT_DEVICE_TYPE, "ios");
    }

    private void assertSameBytes(Event e) {
        assertThat(codec.toFileBytes(e)).as("%s", e).isEqualTo(oldFileBytes(e));
        assertThat(codec.toFileBytes(e)).isEqualTo(Utf8.encode(codec.toFileLine(e)));
    }

    @Test
    void hostileTextInEveryTextFieldAndInExtraGivesTheOldBytes() {
        for (String text : HOSTILE) {
            for (EventField f : EventField.all()) {
                if (f.type() == FieldType.TEXT) {
                    assertSameBytes(base().set(f, f.required() && text.isEmpty() ? "-" : text).build());
                }
            }
            assertSameBytes(base().extra("{\"k\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").build());
        }
    }

    @Test
    void decodedHostileBodiesGiveTheOldBytesStampedOrNot() {
        List<String> bodies = new ArrayList<>();
        for (String text : HOSTILE) {
            String json = jsonString(text);
            bodies.add(EventCodecTest.VALID.replace("\"e-1\"", json.equals("\"\"") ? "\"-\"" : json));
            bodies.add(EventCodecTest.VALID.replace("}", ", " + json + ": " + json + ", \"n\": [" + json + ", {\"d\": " + json + "}]}"));
        }
        bodies.add(EventCodecTest.VALID.replace("}", ", \"huge\": [" + "1e999999, -0, 0.1000, ".repeat(20_000) + "null]}"));
        bodies.add(EventCodecTest.VALID.replace("}", ", \"deep\": " + "[{\"a\":".repeat(200) + "1" + "}]".repeat(200) + "}"));
        bodies.add(EventCodecTest.PROTOTYPE);
        int events = 0;
        for (String body : bodies) {
            for (Event e : codec.decode(body).events()) {
                assertSameBytes(e);
                assertSameBytes(e.stamped(Instant.parse("2026-11-26T10:00:03.000001Z"), Instant.parse("9999-12-31T23:59:59.999999Z")));
                events++;
            }
        }
        // Texts longer than the id's column are rejected; every other body is an event.
        assertThat(events).isGreaterThan(bodies.size() / 2);
    }

    @Test
    void oddTimestampsGiveTheOldBytes() {
        String[] times = {"0001-01-01 00:00:00", "9999-12-31T23:59:59.999999999", "2024-02-29 12:00", "2026-11-26T10:00:00.1+18:00",
            "2026-11-26T10:00:00-18:00", "2026-11-26 10:00:00.000001-0930", "1970-01-01T00:00:00Z", "0001-01-01T12:00:00+11"};
        for (String t : times) {
            for (String field : new String[] {"timestamp", "original_timestamp", "received_at"}) {
                String body = EventCodecTest.VALID.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":\"" + t + "\"");
                for (Event e : codec.decode(body).events()) {
                    assertSameBytes(e);
                }
            }
        }
    }

    @Test
    void randomTextOfPairsControlsAndEscapesGivesTheOldBytes() {
        Random random = new Random(20261126);
        char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u007f', '\u00e9', '\u0800', '\u2028',
            '\ufffd', '\uffff'};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(i % 100 == 0 ? 20_000 : 200);
            while (s.length() < len) {
                if (random.nextInt(6) == 0) {
                    s.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                } else {
                    s.append(alphabet[random.nextInt(alphabet.length)]);
                }
            }
            String text = s.toString();
            assertSameBytes(base().set(EventField.EVENT_TEXT, text).set(EventField.USER_ID, text).build());
            String body = EventCodecTest.VALID.replace("}", ", " + jsonString(text) + ": " + jsonString(text) + "}");
            for (Event e : codec.decode(body.replace("\"u-1\"", jsonString(text))).events()) {
                assertSameBytes(e);
            }
        }
    }

    @Test
    void anUnpairedSurrogateInABuiltEventIsRefusedAsBefore() {
        for (String lone : new String[] {"\ud800", "a\udc00", "end\ud83d", "\ud800\ud800\udc00", "\udfff\ud800"}) {
            for (EventField f : EventField.all()) {
                if (f.type() == FieldType.TEXT) {
                    Event e = base().set(f, lone).build();
                    assertThatThrownBy(() -> oldFileBytes(e)).isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> codec.toFileBytes(e)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("surrogate");
                }
            }
            Event e = base().extra("{\"k\":\"" + lone + "\"}").build();
            assertThatThrownBy(() -> codec.toFileBytes(e)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
            Event copied = codec.decode(EventCodecTest.VALID).events().get(0).toBuilder().set(EventField.EVENT_TEXT, lone).build();
            assertThatThrownBy(() -> codec.toFileBytes(copied)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** {@code text} as a JSON string literal, every character that JSON allows raw left raw. */
    private static String jsonString(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
