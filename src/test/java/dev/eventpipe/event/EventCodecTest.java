package dev.eventpipe.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCodec codec = new EventCodec(4096);

    static final String VALID = """
            {"id":"e-1","anonymous_id":"a-1","user_id":"u-1","event":"submission_success",
             "timestamp":"2024-05-01 10:20:30.123456","original_timestamp":"2024-05-01T12:20:30.000100+02:00",
             "sent_at":"2024-05-01T10:20:31Z","received_at":"2024-05-01 10:20:32",
             "context_device_type":"ios","context_network_wifi":true,"context_os_name":"iOS"}""";

    private Rejection onlyRejection(String body) {
        DecodedBody d = codec.decode(body);
        assertThat(d.events()).isEmpty();
        assertThat(d.rejections()).hasSize(1);
        return d.rejections().get(0);
    }

    @Test
    void decodesOneEventWithBothTimestampForms() {
        Event e = codec.decode(VALID).events().get(0);
        assertThat(e.id()).isEqualTo("e-1");
        assertThat(e.name()).isEqualTo("submission_success");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:20:30.123456Z"));
        assertThat(e.get(EventField.ORIGINAL_TIMESTAMP)).isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 20, 30, 100_000, ZoneOffset.ofHours(2)));
        assertThat(e.get(EventField.SENT_AT)).isEqualTo(Instant.parse("2024-05-01T10:20:31Z"));
        assertThat(e.get(EventField.CONTEXT_NETWORK_WIFI)).isEqualTo(true);
        assertThat(e.get(EventField.CONTEXT_LOCALE)).isNull();
        assertThat(e.extra()).isNull();
        assertThat(e.date()).hasToString("2024-05-01");
    }

    @Test
    void keepsUnknownFieldsAsExtra() throws Exception {
        String body = VALID.replace("\"context_os_name\":\"iOS\"", "\"context_os_name\":\"iOS\",\"screen_name\":\"home\",\"revenue\":9.5,\"tags\":[1,2]");
        Event e = codec.decode(body).events().get(0);
        assertThat(JSON.readTree(e.extra())).isEqualTo(JSON.readTree("{\"screen_name\":\"home\",\"revenue\":9.5,\"tags\":[1,2]}"));
    }

    @Test
    void theFileFormHoldsExtraAsTextAndTheWireFormInline() throws Exception {
        Event e = codec.decode(VALID.replace("}", ",\"screen_name\":\"home\"}")).events().get(0);
        JsonNode file = JSON.readTree(codec.toFileLine(e));
        assertThat(file.get("extra").isTextual()).isTrue();
        assertThat(file.get("extra").textValue()).isEqualTo("{\"screen_name\":\"home\"}");
        assertThat(file.get("timestamp").textValue()).isEqualTo("2024-05-01 10:20:30.123456");
        assertThat(file.get("original_timestamp").textValue()).isEqualTo("2024-05-01T12:20:30.000100+02:00");
        JsonNode wire = JSON.readTree(codec.toWireJson(e));
        assertThat(wire.get("screen_name").textValue()).isEqualTo("home");
        assertThat(wire.has("extra")).isFalse();
        assertThat(codec.decode(codec.toWireJson(e)).events()).containsExactly(e);
    }

    @Test
    void decodesAnArrayOfEventsAndRejectsOnlyItsBadElements() {
        String body = "[" + VALID + "," + VALID.replace("e-1", "e-2") + ",42," + VALID.replace("\"event\":\"submission_success\",", "") + "]";
        DecodedBody d = codec.decode(body);
        assertThat(d.events()).extracting(Event::id).containsExactly("e-1", "e-2");
        assertThat(d.rejections()).extracting(Rejection::reason)
                .containsExactly(RejectionReason.NOT_AN_OBJECT, RejectionReason.MISSING_FIELD);
        assertThat(d.rejections().get(0).raw()).isEqualTo("42");
    }

    @Test
    void decodesAPackedBodyLineByLine() {
        List<String> lines = List.of(VALID.replace("\n", ""), VALID.replace("\n", "").replace("e-1", "e-2"), "{not json");
        DecodedBody d = codec.decode(EventCodec.pack(lines));
        assertThat(d.events()).extracting(Event::id).containsExactly("e-1", "e-2");
        assertThat(d.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_JSON);
            assertThat(r.raw()).isEqualTo("{not json");
        });
    }

    @Test
    void aPackThatIsNotGzipIsInvalidAsAWhole() {
        Rejection r = onlyRejection("H4sIthis-is-not-base64-gzip");
        assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_JSON);
        assertThat(r.raw()).isEqualTo("H4sIthis-is-not-base64-gzip");
    }

    @Test
    void rejectsInvalidJsonWithItsPosition() {
        Rejection r = onlyRejection("{\"id\": \"e-1\", \"event\": ");
        assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_JSON);
        assertThat(r.detail()).startsWith("invalid JSON");
    }

    @Test
    void rejectsTrailingGarbageAndDuplicateKeys() {
        assertThat(onlyRejection(VALID + " trailing").reason()).isEqualTo(RejectionReason.INVALID_JSON);
        assertThat(onlyRejection(VALID.replace("{\"id\":\"e-1\",", "{\"id\":\"e-1\",\"id\":\"e-2\",")).reason())
                .isEqualTo(RejectionReason.INVALID_JSON);
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThat(onlyRejection("\"application_opened\"").reason()).isEqualTo(RejectionReason.NOT_AN_OBJECT);
        assertThat(onlyRejection("12345").reason()).isEqualTo(RejectionReason.NOT_AN_OBJECT);
    }

    @Test
    void rejectsEachMissingRequiredFieldByName() {
        for (EventField f : EventField.values()) {
            if (!f.required()) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(VALID);
                o.remove(f.jsonName());
                Rejection r = onlyRejection(o.toString());
                assertThat(r.reason()).isEqualTo(RejectionReason.MISSING_FIELD);
                assertThat(r.detail()).isEqualTo("missing field '" + f.jsonName() + "'");
                o.put(f.jsonName(), "");
                assertThat(onlyRejection(o.toString()).reason()).isEqualTo(RejectionReason.MISSING_FIELD);
                o.putNull(f.jsonName());
                assertThat(onlyRejection(o.toString()).reason()).isEqualTo(RejectionReason.MISSING_FIELD);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void rejectsABadTimestampNamingTheField() {
        Rejection r = onlyRejection(VALID.replace("\"sent_at\":\"2024-05-01T10:20:31Z\"", "\"sent_at\":\"yesterday\""));
        assertThat(r.reason()).isEqualTo(RejectionReason.BAD_TIMESTAMP);
        assertThat(r.detail()).contains("'sent_at'").contains("yesterday");
    }

    @Test
    void rejectsAWrongTypeNamingTheField() {
        Rejection id = onlyRejection(VALID.replace("\"id\":\"e-1\"", "\"id\":17"));
        assertThat(id.reason()).isEqualTo(RejectionReason.WRONG_TYPE);
        assertThat(id.detail()).contains("'id'");
        Rejection wifi = onlyRejection(VALID.replace("\"context_network_wifi\":true", "\"context_network_wifi\":\"yes\""));
        assertThat(wifi.reason()).isEqualTo(RejectionReason.WRONG_TYPE);
        assertThat(wifi.detail()).contains("'context_network_wifi'");
        assertThat(onlyRejection(VALID.replace("\"timestamp\":\"2024-05-01 10:20:30.123456\"", "\"timestamp\":1714558830"))
                .reason()).isEqualTo(RejectionReason.WRONG_TYPE);
    }

    @Test
    void rejectsAnEventLargerThanTheLimitAndAFieldLongerThanItsColumn() {
        String big = VALID.replace("}", ",\"blob\":\"" + "x".repeat(5000) + "\"}");
        Rejection r = onlyRejection(big);
        assertThat(r.reason()).isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(r.raw()).isEqualTo(big);
        Rejection field = onlyRejection(VALID.replace("submission_success", "x".repeat(300)));
        assertThat(field.reason()).isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(field.detail()).contains("'event'");
    }

    @Test
    void rejectsABlankBodyAndAnEmptyArrayAsEmpty() {
        assertThat(onlyRejection("   ").reason()).isEqualTo(RejectionReason.EMPTY);
        assertThat(onlyRejection("[]").reason()).isEqualTo(RejectionReason.EMPTY);
        assertThat(onlyRejection(EventCodec.pack(List.of())).reason()).isEqualTo(RejectionReason.EMPTY);
    }

    @Test
    void countsUtf8BytesNotCharacters() {
        assertThat(EventCodec.utf8Length("abc")).isEqualTo(3);
        assertThat(EventCodec.utf8Length("é")).isEqualTo(2);
        assertThat(EventCodec.utf8Length("€")).isEqualTo(3);
        assertThat(EventCodec.utf8Length("😀")).isEqualTo(4);
    }
}
