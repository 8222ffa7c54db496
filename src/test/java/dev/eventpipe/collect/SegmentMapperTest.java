package dev.eventpipe.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.event.Utf8;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class SegmentMapperTest {

    static final Instant RECEIVED = Instant.parse("2026-11-25T12:00:10Z");
    final SegmentMapper mapper = new SegmentMapper(SegmentRequest.JSON);
    final EventCodec codec = new EventCodec(32_768);

    ObjectNode call(String json) throws Exception {
        return (ObjectNode) SegmentRequest.JSON.readTree(json);
    }

    DecodedBody map(String json, String pathType) throws Exception {
        return codec.decode(mapper.text(mapper.map(call(json), pathType, SegmentMapper.Envelope.NONE, new Receipt(RECEIVED))));
    }

    Event valid(String json, String pathType) throws Exception {
        DecodedBody d = map(json, pathType);
        assertThat(d.rejections()).isEmpty();
        return d.events().get(0);
    }

    JsonNode extra(Event e) throws Exception {
        return SegmentRequest.JSON.readTree(e.extra());
    }

    @Test
    void aMobileTrackCallFillsThePrototypesColumns() throws Exception {
        Event e = valid("""
                {"type":"track","event":"Registration Initiated","messageId":"m-1","anonymousId":"a-1","userId":42,
                 "timestamp":"2026-11-25T13:00:00.000+01:00","sentAt":"2026-11-25T12:00:05Z",
                 "properties":{"step":1,"price":1.10},
                 "context":{"device":{"type":"ios","model":"iPhone15,2","manufacturer":"Apple","adTrackingEnabled":true,"id":"d-9"},
                            "app":{"version":"3.2.1","build":"77"},"library":{"name":"analytics-ios","version":"4.1.0"},
                            "os":{"name":"iOS","version":"17.1"},"network":{"wifi":true,"carrier":"T-Mobile"},
                            "locale":"de-DE","timezone":"Europe/Berlin","traits":{"taxfix_language":"de","plan":"pro"}}}
                """, null);

        assertThat(e.id()).isEqualTo("m-1");
        assertThat(e.get(EventField.ANONYMOUS_ID)).isEqualTo("a-1");
        assertThat(e.get(EventField.USER_ID)).isEqualTo("42");
        assertThat(e.name()).isEqualTo("registration_initiated");
        assertThat(e.get(EventField.EVENT_TEXT)).isEqualTo("Registration Initiated");
        assertThat(e.get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("ios");
        assertThat(e.get(EventField.CONTEXT_DEVICE_MODEL)).isEqualTo("iPhone15,2");
        assertThat(e.get(EventField.CONTEXT_DEVICE_MANUFACTURER)).isEqualTo("Apple");
        assertThat(e.get(EventField.CONTEXT_DEVICE_AD_TRACKING_ENABLED)).isEqualTo(true);
        assertThat(e.get(EventField.CONTEXT_APP_VERSION)).isEqualTo("3.2.1");
        assertThat(e.get(EventField.CONTEXT_LIBRARY_NAME)).isEqualTo("analytics-ios");
        assertThat(e.get(EventField.CONTEXT_LIBRARY_VERSION)).isEqualTo("4.1.0");
        assertThat(e.get(EventField.CONTEXT_OS_NAME)).isEqualTo("iOS");
        assertThat(e.get(EventField.CONTEXT_NETWORK_WIFI)).isEqualTo(true);
        assertThat(e.get(EventField.CONTEXT_NETWORK_CARRIER)).isEqualTo("T-Mobile");
        assertThat(e.get(EventField.CONTEXT_LOCALE)).isEqualTo("de-DE");
        assertThat(e.get(EventField.CONTEXT_TIMEZONE)).isEqualTo("Europe/Berlin");
        assertThat(e.get(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE)).isEqualTo("de");

        // Everything else is kept, in its own shape: properties (numbers exact), the context's other keys.
        JsonNode extra = extra(e);
        assertThat(extra.path("properties").toString()).isEqualTo("{\"step\":1,\"price\":1.10}");
        assertThat(extra.path("type").asText()).isEqualTo("track");
        assertThat(extra.path("context").toString()).isEqualTo(
                "{\"device\":{\"id\":\"d-9\"},\"app\":{\"build\":\"77\"},\"os\":{\"version\":\"17.1\"},\"traits\":{\"plan\":\"pro\"}}");
        assertThat(extra.has("messageId")).isFalse();
        assertThat(extra.has("timestamp")).isFalse();
    }

    @Test
    void valuesOfEveryJsonKindGoIntoExtraExactlyAsSent() throws Exception {
        String properties = "{\"big\":123456789012345678901234567890,\"exact\":1.10,\"huge\":1E+999999,\"neg\":-7,"
                + "\"list\":[1,\"two\",null,true,{\"deep\":[[],{}]}],\"none\":null,\"no\":false,\"text\":\"\\\"q\\\" \\u00e9 \\ud83d\\ude00\"}";
        Event e = valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"properties\":" + properties + "}", "track");

        assertThat(extra(e).path("properties").toString()).isEqualTo(SegmentRequest.JSON.readTree(properties).toString());
        assertThat(e.extra()).contains("1E+999999", "123456789012345678901234567890", "1.10");
    }

    @Test
    void timestampTakesTheDevicesClockSkewOut() throws Exception {
        // The device's clock is 5 minutes ahead: it says it sent at 12:05:05 what happened at 12:05:00.
        Event e = valid("""
                {"event":"x","messageId":"m","anonymousId":"a","timestamp":"2026-11-25T12:05:00Z","sentAt":"2026-11-25T12:05:05Z"}
                """, "track");

        assertThat(e.get(EventField.RECEIVED_AT)).isEqualTo(RECEIVED);
        assertThat(e.get(EventField.SENT_AT)).isEqualTo(Instant.parse("2026-11-25T12:05:05Z"));
        assertThat(e.get(EventField.ORIGINAL_TIMESTAMP)).isEqualTo(OffsetDateTime.parse("2026-11-25T12:05:00Z"));
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-25T12:00:05Z"));
    }

    @Test
    void theBatchsSentAtAndRudderStacksOriginalTimestampAreRead() throws Exception {
        ObjectNode c = call("""
                {"type":"track","event":"x","messageId":"m","anonymousId":"a","originalTimestamp":"2026-11-25T12:00:00Z"}
                """);
        SegmentMapper.Envelope envelope = new SegmentMapper.Envelope(SegmentRequest.JSON.getNodeFactory().textNode("2026-11-25T12:00:02Z"),
                null, null);
        Event e = codec.decode(mapper.text(mapper.map(c, null, envelope, new Receipt(RECEIVED)))).events().get(0);

        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-25T12:00:08Z"));
        assertThat(e.get(EventField.SENT_AT)).isEqualTo(Instant.parse("2026-11-25T12:00:02Z"));
    }

    @Test
    void callsOfOneRequestWithDifferentSentAtsEachKeepTheirOwn() throws Exception {
        // One receipt per request remembers the last sentAt it read: a call with another one must not get it.
        Receipt receipt = new Receipt(RECEIVED);
        String[] sentAts = {"2026-11-25T12:00:02Z", "2026-11-25T12:00:04Z", "not a time", "2026-11-25T12:00:02Z", null};
        Instant[] expected = {Instant.parse("2026-11-25T12:00:02Z"), Instant.parse("2026-11-25T12:00:04Z"), RECEIVED,
                Instant.parse("2026-11-25T12:00:02Z"), RECEIVED};
        for (int i = 0; i < sentAts.length; i++) {
            ObjectNode c = call("{\"type\":\"track\",\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\","
                    + "\"timestamp\":\"2026-11-25T12:00:00Z\"}");
            if (sentAts[i] != null) {
                c.put("sentAt", sentAts[i]);
            }
            Event e = codec.decode(mapper.text(mapper.map(c, null, SegmentMapper.Envelope.NONE, receipt))).events().get(0);

            assertThat(e.get(EventField.SENT_AT)).as("call %d", i).isEqualTo(expected[i]);
            assertThat(e.get(EventField.RECEIVED_AT)).isEqualTo(RECEIVED);
            assertThat(e.timestamp()).as("call %d", i).isEqualTo(RECEIVED.minusSeconds(expected[i].getEpochSecond() - Instant.parse("2026-11-25T12:00:00Z").getEpochSecond()));
            assertThat(extra(e).has("sentAt")).as("call %d keeps an unusable sentAt in extra", i).isEqualTo("not a time".equals(sentAts[i]));
        }
    }

    @Test
    void withoutSentAtTheTimestampIsTakenAsSentAndWithoutATimestampTheEventHappenedOnReceipt() throws Exception {
        Event noSentAt = valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"timestamp\":\"2026-11-20T08:00:00Z\"}", "track");
        assertThat(noSentAt.timestamp()).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(noSentAt.get(EventField.SENT_AT)).isEqualTo(RECEIVED);

        Event unusable = valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"timestamp\":\"yesterday\"}", "track");
        assertThat(unusable.timestamp()).isEqualTo(RECEIVED);
        assertThat(unusable.get(EventField.ORIGINAL_TIMESTAMP)).isNull();
        // Kept as sent, under a name that is not a column.
        assertThat(extra(unusable).path("segment_timestamp").asText()).isEqualTo("yesterday");
    }

    @Test
    void pageScreenAndIdentifyCallsAreEventsNamedByTheirType() throws Exception {
        Event page = valid("{\"messageId\":\"m\",\"anonymousId\":\"a\",\"name\":\"Home\",\"properties\":{\"path\":\"/\"}}", "page");
        assertThat(page.name()).isEqualTo("page");
        assertThat(page.get(EventField.EVENT_TEXT)).isEqualTo("Home");
        assertThat(extra(page).path("properties").path("path").asText()).isEqualTo("/");

        Event identify = valid("{\"type\":\"identify\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"userId\":\"u\",\"traits\":{\"email\":\"x@y\"}}", null);
        assertThat(identify.name()).isEqualTo("identify");
        assertThat(extra(identify).path("traits").path("email").asText()).isEqualTo("x@y");

        Event alias = valid("{\"type\":\"alias\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"previousId\":\"p\"}", null);
        assertThat(alias.name()).isEqualTo("alias");
        assertThat(extra(alias).path("previousId").asText()).isEqualTo("p");
    }

    @Test
    void theDeviceTypeIsWebForBrowsersAndServerOtherwiseWhenTheCallDoesNotSay() throws Exception {
        assertThat(valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"context\":{\"userAgent\":\"Mozilla/5.0\"}}", "track")
                .get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("web");
        assertThat(valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"context\":{\"library\":{\"name\":\"@segment/analytics-node\"}}}", "track")
                .get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("server");
    }

    @Test
    void theWriteKeyIsNeverKept() throws Exception {
        Event e = valid("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"writeKey\":\"secret-key\"}", "track");
        assertThat(e.extra() == null ? "" : e.extra()).doesNotContain("secret-key");
    }

    @Test
    void aCallWithoutMessageIdGetsOne() throws Exception {
        assertThat(valid("{\"event\":\"x\",\"anonymousId\":\"a\"}", "track").id()).hasSize(36);
    }

    @Test
    void anInvalidCallIsRejectedByTheCodecsRulesWithItsReason() throws Exception {
        assertThat(map("{\"messageId\":\"m\",\"anonymousId\":\"a\"}", "track").rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.MISSING_FIELD));
        assertThat(map("{\"event\":\"x\",\"messageId\":\"m\",\"userId\":\"u\"}", "track").rejections()).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("anonymous_id"));
        assertThat(map("{\"event\":\"x\",\"messageId\":7,\"anonymousId\":\"a\"}", "track").rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.WRONG_TYPE));
        assertThat(map("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"\\ud800\"}", "track").rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_UNICODE));
    }

    @Test
    void theBatchsContextIsMergedUnderEachCallsOwn() throws Exception {
        ObjectNode c = call("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"context\":{\"device\":{\"type\":\"android\"}}}");
        ObjectNode batchContext = call("{\"device\":{\"type\":\"ios\",\"model\":\"Pixel 8\"},\"locale\":\"en-US\"}");
        Event e = codec.decode(mapper.text(mapper.map(c, "track", new SegmentMapper.Envelope(null, batchContext, null), new Receipt(RECEIVED)))).events().get(0);

        assertThat(e.get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("android");
        assertThat(e.get(EventField.CONTEXT_DEVICE_MODEL)).isEqualTo("Pixel 8");
        assertThat(e.get(EventField.CONTEXT_LOCALE)).isEqualTo("en-US");
    }

    SegmentMapper.Line line(String json) throws Exception {
        return mapper.line(mapper.map(call(json), "track", SegmentMapper.Envelope.NONE, new Receipt(RECEIVED)), codec);
    }

    /** The line the queue gets is the mapped text's bytes, judged as the consumer will judge it. */
    @Test
    void theQueuesLineIsTheMappedTextJudgedAsTheConsumerWill() throws Exception {
        String good = "{\"event\":\"Café ☕ 😀\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"properties\":{\"price\":1.10,\"big\":1e999999,\"q\":\"\\\"\\n\"}}";
        SegmentMapper.Line valid = line(good);
        assertThat(valid.rejected()).isNull();
        String text = mapper.text(mapper.map(call(good), "track", SegmentMapper.Envelope.NONE, new Receipt(RECEIVED)));
        assertThat(new String(valid.bytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(codec.decode(text).events()).singleElement().satisfies(e -> assertThat(e.get(EventField.EVENT_TEXT)).isEqualTo("Café ☕ 😀"));

        SegmentMapper.Line surrogate = line("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"properties\":{\"k\":\"\\ud800\"}}");
        assertThat(surrogate.rejected()).isEqualTo(RejectionReason.INVALID_UNICODE);
        assertThat(Utf8.decodeOrNull(surrogate.bytes(), 0, surrogate.bytes().length)).as("kept as sent, so not UTF-8").isNull();

        assertThat(line("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":{\"k\":\"\\ud800\"}}").rejected())
                .isEqualTo(RejectionReason.INVALID_UNICODE);
        assertThat(line("{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":[1]}").rejected()).isEqualTo(RejectionReason.WRONG_TYPE);
        assertThat(line("{\"event\":\"x\",\"messageId\":\"m\"}").rejected()).isEqualTo(RejectionReason.MISSING_FIELD);
        String big = "{\"event\":\"x\",\"messageId\":\"m\",\"anonymousId\":\"a\",\"properties\":{\"k\":\"" + "é".repeat(16_300) + "\"}}";
        SegmentMapper.Line tooLarge = line(big);
        assertThat(tooLarge.rejected()).as("32,600 bytes of é and the mapped fields pass 32,768 bytes, though not in chars").isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(new String(tooLarge.bytes(), StandardCharsets.UTF_8)).contains("é".repeat(16_300));
    }

    @Test
    void slugsAreSegmentsWarehouseNames() {
        assertThat(SegmentMapper.slug("Order Completed")).isEqualTo("order_completed");
        assertThat(SegmentMapper.slug("orderCompleted")).isEqualTo("order_completed");
        assertThat(SegmentMapper.slug("registration_initiated")).isEqualTo("registration_initiated");
        assertThat(SegmentMapper.slug("  Add-to cart!! ")).isEqualTo("add_to_cart");
        assertThat(SegmentMapper.snake("adTrackingEnabled")).isEqualTo("ad_tracking_enabled");
        assertThat(SegmentMapper.snake("taxfix_language")).isEqualTo("taxfix_language");
    }
}
