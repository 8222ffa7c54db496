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
    void measuresTheLimitInUtf8BytesNotCharsForASingleEventAndInsideAnArray() {
        // 1,400 euro signs are 1,400 chars but 4,200 bytes: over the 4,096-byte limit only in bytes.
        String wide = VALID.replace("}", ",\"blob\":\"" + "\u20ac".repeat(1400) + "\"}");
        assertThat(wide.length()).isLessThan(4096);
        Rejection single = onlyRejection(wide);
        assertThat(single.reason()).isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(single.detail()).contains("more than 4096");
        DecodedBody array = codec.decode("[" + VALID + "," + wide + "]");
        assertThat(array.events()).hasSize(1);
        assertThat(array.rejections()).extracting(Rejection::reason).containsExactly(RejectionReason.TOO_LARGE);
        // Just under the limit in bytes: taken.
        String fits = VALID.replace("}", ",\"blob\":\"" + "\u20ac".repeat(1000) + "\"}");
        assertThat(codec.decode(fits).rejections()).isEmpty();
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

    // ------------------------------------------------------------ the prototype's contract

    /** One event exactly as the original prototype's producer sends it (json.dumps of its dict). */
    static final String PROTOTYPE = "{\"id\": \"9D0B0C2E-4F4A-4C41-9C1E-2C7A0E8F7B11\", \"received_at\": \"2026-11-25 15:17:53.321311\", "
            + "\"anonymous_id\": \"0A52CDC6-DDDC-4F7D-AA24-4447F6AF2689\", \"context_device_manufacturer\": \"Apple\", "
            + "\"context_device_model\": \"iPhone8,4\", \"context_device_type\": \"ios\", \"context_locale\": \"de-DE\", "
            + "\"context_network_wifi\": true, \"context_os_name\": \"iOS\", \"event\": \"registration_initiated\", "
            + "\"event_text\": \"registrationInitiated\", \"original_timestamp\": \"2026-11-25 16:17:53.319991+0100\", "
            + "\"sent_at\": \"2026-11-25 15:17:53.320511\", \"timestamp\": \"2026-11-25 15:17:53.320011\", "
            + "\"context_network_carrier\": \"o2-de\", \"context_traits_taxfix_language\": \"en-DE\", "
            + "\"user_id\": \"18946\", \"context_device_token\": null, \"context_app_version\": \"1.2.3\"}";

    @Test
    void decodesThePrototypesEventWithEveryFieldInItsOwnColumn() {
        Event e = codec.decode(PROTOTYPE).events().get(0);
        assertThat(e.get(EventField.ORIGINAL_TIMESTAMP)).isEqualTo(OffsetDateTime.of(2026, 11, 25, 16, 17, 53, 319_991_000, ZoneOffset.ofHours(1)));
        assertThat(e.get(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE)).isEqualTo("en-DE");
        assertThat(e.get(EventField.CONTEXT_DEVICE_TOKEN)).isNull();
        assertThat(e.get(EventField.USER_ID)).isEqualTo("18946");
        assertThat(e.extra()).isNull();
    }

    @Test
    void takesAUserIdSentAsAJsonIntegerAsItsDigits() {
        Event e = codec.decode(PROTOTYPE.replace("\"user_id\": \"18946\"", "\"user_id\": 18946")).events().get(0);
        assertThat(e.get(EventField.USER_ID)).isEqualTo("18946");
        Event big = codec.decode(PROTOTYPE.replace("\"user_id\": \"18946\"", "\"user_id\": 123456789012345678901234567890")).events().get(0);
        assertThat(big.get(EventField.USER_ID)).isEqualTo("123456789012345678901234567890");
        Rejection fraction = onlyRejection(PROTOTYPE.replace("\"user_id\": \"18946\"", "\"user_id\": 1.5"));
        assertThat(fraction.reason()).isEqualTo(RejectionReason.WRONG_TYPE);
        assertThat(fraction.detail()).contains("'user_id'").contains("a string or an integer");
    }

    @Test
    void aClientCannotSetThePipelinesOwnTimes() {
        Event e = codec.decode(PROTOTYPE.replace("}", ", \"queued_at\": \"9999-12-31 00:00:00\"}")).events().get(0);
        assertThat(e.get(EventField.QUEUED_AT)).isNull();
        assertThat(e.extra()).isEqualTo("{\"queued_at\":\"9999-12-31 00:00:00\"}");
    }

    // ------------------------------------------------------------ hostile input

    /** check is decode's judgement without building the event: on every kind of object body they agree. */
    @Test
    void checkGivesDecodesReasonForEveryKindOfObject() throws Exception {
        String[] bodies = {
            VALID,
            VALID.replace("}", ",\"props\":{\"n\":[1,1.5e3,true,null,\"x\"]}}"),
            VALID.replace("\"id\":\"e-1\",", ""),
            VALID.replace("\"id\":\"e-1\"", "\"id\":{\"a\":\"\\ud800\"}"),
            VALID.replace("\"sent_at\":\"2024-05-01T10:20:31Z\"", "\"sent_at\":\"yesterday\""),
            VALID.replace("\"context_network_wifi\":true", "\"context_network_wifi\":\"yes\""),
            VALID.replace("submission_success", "x".repeat(300)),
            VALID.replace("\"id\":\"e-1\"", "\"id\":\"sur-\\udc00\""),
            VALID.replace("}", ",\"tags\":[{\"x\":\"\\udc00\"}]}"),
            VALID.replace("}", ",\"k\\ud800\":1}"),
            VALID.replace("\"user_id\":\"u-1\"", "\"user_id\":12345678901234567890"),
            VALID.replace("}", ",\"open\":[1,2}"),
        };
        for (String body : bodies) {
            DecodedBody decoded = codec.decode(body);
            RejectionReason expected = decoded.rejections().isEmpty() ? null : decoded.rejections().get(0).reason();
            try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body)) {
                p.nextToken();
                assertThat(codec.check(p)).as(body).isEqualTo(expected);
            }
        }
        assertThat(codec.decode(bodies[1]).rejections()).isEmpty();
        assertThat(codec.decode(bodies[7]).rejections()).isNotEmpty();
    }

    @Test
    void rejectsEachUnpairedSurrogateSoDistinctIdsNeverMerge() {
        for (String escape : new String[] {"\\ud800", "\\udbff", "\\udc00", "\\uDFFF"}) {
            Rejection r = onlyRejection(VALID.replace("\"id\":\"e-1\"", "\"id\":\"sur-" + escape + "\""));
            assertThat(r.reason()).as(escape).isEqualTo(RejectionReason.INVALID_UNICODE);
            assertThat(r.detail()).contains("'id'");
        }
        // A pair is a real character and is kept.
        Event pair = codec.decode(VALID.replace("\"id\":\"e-1\"", "\"id\":\"sur-\\ud83d\\ude00\"")).events().get(0);
        assertThat(pair.id()).isEqualTo("sur-\ud83d\ude00");
    }

    @Test
    void rejectsUnpairedSurrogatesInsideArraysPacksAndUnknownFields() {
        String bad = VALID.replace("\"id\":\"e-1\"", "\"id\":\"sur-\\ud800\"").replace("\n", "");
        DecodedBody array = codec.decode("[" + bad + "," + VALID + "]");
        assertThat(array.events()).extracting(Event::id).containsExactly("e-1");
        assertThat(array.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
            assertThat(r.raw()).isEqualTo(bad);
            assertThat(r.index()).isZero();
        });
        DecodedBody pack = codec.decode(EventCodec.pack(List.of(VALID.replace("\n", ""), bad)));
        assertThat(pack.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
            assertThat(r.index()).isEqualTo(1);
        });
        assertThat(onlyRejection(VALID.replace("}", ",\"tags\":[{\"x\":\"\\udc00\"}]}")).reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
        assertThat(onlyRejection(VALID.replace("}", ",\"k\\ud800\":1}")).reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
    }

    @Test
    void rejectsPackLinesThatAreNotUtf8AndKeepsTheirBytes() {
        byte[] line = "{\"id\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Rejection r = onlyRejection(EventCodec.packBytes(List.of(line)));
        assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
        // The raw form is a pack of exactly those bytes: decoding it again finds the same line.
        Rejection again = onlyRejection(r.raw());
        assertThat(again.reason()).isEqualTo(RejectionReason.INVALID_UNICODE);
        assertThat(again.raw()).isEqualTo(r.raw());
    }

    @Test
    void keepsNumbersUnderUnknownFieldsAsTheirOriginalText() {
        Event e = codec.decode(VALID.replace("}", ",\"huge\":1e999999,\"precise\":1.0000000000000000000000001,"
                + "\"big\":123456789012345678901234567890,\"neg\":-0.0,\"nested\":{\"a\":[1E+2,2.50]}}")).events().get(0);
        assertThat(e.extra()).isEqualTo("{\"huge\":1e999999,\"precise\":1.0000000000000000000000001,"
                + "\"big\":123456789012345678901234567890,\"neg\":-0.0,\"nested\":{\"a\":[1E+2,2.50]}}");
    }

    @Test
    void keepsEachArrayElementsExactTextAsItsRawForm() {
        String body = "[ 42 , \"x\" ,{\"event\" : 1} , [1, [2]], null, true ]";
        DecodedBody d = codec.decode(body);
        assertThat(d.rejections()).extracting(Rejection::raw).containsExactly("42", "\"x\"", "{\"event\" : 1}", "[1, [2]]", "null", "true");
        assertThat(d.rejections()).extracting(Rejection::index).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void rejectsDeepNestingAsInvalidJsonWithoutFailing() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        EventCodec roomy = new EventCodec(1 << 20);
        assertThat(roomy.decode(VALID.replace("}", ",\"deep\":" + deep + "}")).rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_JSON));
        assertThat(roomy.decode(deep).rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_JSON));
    }

    @Test
    void aBrokenPackNamesWhatIsWrongNeverNull() {
        for (String body : new String[] {"H4sI", "H4sIAAAAAAAA", "H4sI!!!", EventCodec.pack(List.of("x")).substring(0, 20)}) {
            Rejection r = onlyRejection(body);
            assertThat(r.detail()).as(body).startsWith("packed body is not base64 gzip: ").doesNotContain("null");
        }
    }

    @Test
    void aDetailNeverCarriesTextAQueueWouldRefuse() {
        Rejection r = onlyRejection(VALID.replace("\"sent_at\":\"2024-05-01T10:20:31Z\"", "\"sent_at\":\"\\u0000\\u0007x\""));
        assertThat(r.reason()).isEqualTo(RejectionReason.BAD_TIMESTAMP);
        assertThat(r.detail()).contains("\\u0000\\u0007x").doesNotContain("\u0000");
    }

    @Test
    void theFileFormIsStrictUtf8() {
        Event e = codec.decode(VALID.replace("\"id\":\"e-1\"", "\"id\":\"\u00e9\ud83d\ude00\"")).events().get(0);
        assertThat(new String(codec.toFileBytes(e), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(codec.toFileLine(e));
    }
}
