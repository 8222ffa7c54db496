package dev.eventpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The simulator's default bodies against the original prototype's wire contract (issue 11), field by field. */
class PrototypeBodyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-01T09:30:00.123456Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> ALWAYS = Set.of("id", "anonymous_id", "event", "event_text", "timestamp", "sent_at",
            "received_at", "original_timestamp", "context_device_type", "context_device_manufacturer", "context_device_model",
            "context_locale", "context_network_wifi", "context_os_name", "context_network_carrier",
            "context_traits_taxfix_language");
    private static final Set<String> SOMETIMES = Set.of("context_app_version", "context_device_ad_tracking_enabled",
            "context_library_name", "context_library_version", "context_timezone", "user_id", "context_device_token");
    /** Text widths of the prototype's Redshift table (create_table.sql). */
    private static final Map<String, Integer> WIDTH = Map.ofEntries(Map.entry("id", 36), Map.entry("anonymous_id", 36),
            Map.entry("context_app_version", 8), Map.entry("context_device_manufacturer", 32),
            Map.entry("context_device_model", 32), Map.entry("context_device_type", 16),
            Map.entry("context_library_name", 16), Map.entry("context_library_version", 8), Map.entry("context_locale", 5),
            Map.entry("context_os_name", 32), Map.entry("context_network_carrier", 16), Map.entry("context_timezone", 16),
            Map.entry("context_traits_taxfix_language", 5), Map.entry("event", 32), Map.entry("event_text", 64));

    private static final Pattern UPPER_UUID = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
    private static final Pattern UTC_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
    private static final Pattern ZONED_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{4}");
    private static final DateTimeFormatter PYTHON_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter PYTHON_ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxx");

    private static List<String> bodies(int count, BodyFormat format) {
        return Generator.sampleBodies(count, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 500, 0.4, 0.6,
                1L, 42L, 32_768, format), CLOCK);
    }

    @Test
    void everyBodyIsOneFlatObjectWithExactlyThePrototypesFieldsInItsForms() throws Exception {
        Map<String, Integer> present = new HashMap<>();
        Set<String> offsets = new HashSet<>();
        Set<String> events = new HashSet<>();
        int count = 5_000;
        for (String body : bodies(count, BodyFormat.PROTOTYPE)) {
            JsonNode o = JSON.readTree(body);
            assertThat(o.isObject()).as(body).isTrue();
            Set<String> names = new HashSet<>();
            o.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(body).containsAll(ALWAYS);
            assertThat(SOMETIMES).as(body).containsAll(names.stream().filter(n -> !ALWAYS.contains(n)).toList());
            names.forEach(n -> present.merge(n, 1, Integer::sum));

            assertThat(o.get("id").textValue()).as(body).matches(UPPER_UUID);
            assertThat(o.get("anonymous_id").textValue()).as(body).matches(UPPER_UUID);
            for (String utc : List.of("timestamp", "sent_at", "received_at")) {
                assertThat(o.get(utc).textValue()).as(utc).matches(UTC_TIME);
            }
            Instant timestamp = LocalDateTime.parse(o.get("timestamp").textValue(), PYTHON_UTC).toInstant(ZoneOffset.UTC);
            Instant received = LocalDateTime.parse(o.get("received_at").textValue(), PYTHON_UTC).toInstant(ZoneOffset.UTC);
            assertThat(received).isEqualTo(CLOCK.instant());
            String original = o.get("original_timestamp").textValue();
            assertThat(original).matches(ZONED_TIME);
            OffsetDateTime originalTime = OffsetDateTime.parse(original, PYTHON_ZONED);
            assertThat(originalTime.toInstant()).isBeforeOrEqualTo(timestamp);
            offsets.add(original.substring(26));
            if (o.has("context_timezone")) {
                // The device's local time: the offset its zone has at that instant (summer time included).
                ZoneId zone = ZoneId.of(o.get("context_timezone").textValue());
                assertThat(originalTime.getOffset()).as(body).isEqualTo(zone.getRules().getOffset(originalTime.toInstant()));
            }

            String type = o.get("context_device_type").textValue();
            assertThat(type).isIn("android", "ios");
            assertThat(o.get("context_os_name").textValue()).isEqualTo(type.equals("android") ? "Android" : "iOS");
            assertThat(o.get("context_network_wifi").isBoolean()).isTrue();
            if (o.has("context_device_ad_tracking_enabled")) {
                assertThat(o.get("context_device_ad_tracking_enabled").isBoolean()).isTrue();
            }
            if (o.has("user_id")) {
                assertThat(o.get("user_id").isTextual()).as(body).isTrue();
                assertThat(o.get("user_id").textValue()).matches("[1-9][0-9]*");
                // The prototype's column is INTEGER.
                assertThat(Long.parseLong(o.get("user_id").textValue())).isLessThanOrEqualTo(Integer.MAX_VALUE);
            }
            if (o.has("context_device_token")) {
                assertThat(o.get("context_device_token").isNull()).as(body).isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isTextual()) {
                    assertThat(f.getValue().textValue()).as(f.getKey()).isNotEmpty()
                            .hasSizeLessThanOrEqualTo(WIDTH.getOrDefault(f.getKey(), Integer.MAX_VALUE));
                }
            }
            events.add(o.get("event").textValue());
        }
        // Each optional field is sometimes there and sometimes not.
        for (String optional : SOMETIMES) {
            assertThat(present.getOrDefault(optional, 0)).as(optional).isBetween(1, count - 1);
        }
        assertThat(events).contains("registration_initiated", "submission_success");
        assertThat(offsets).as("device offsets").hasSizeGreaterThanOrEqualTo(6).contains("+0530", "-1000");
    }

    @Test
    void bodiesAreWrittenTheWayPythonsJsonDumpsWritesThem() {
        for (String body : bodies(200, BodyFormat.PROTOTYPE)) {
            assertThat(body).startsWith("{\"id\": \"").endsWith("}").doesNotContain("\n");
            // json.dumps separators: ", " between members, ": " after each key; ensure_ascii escapes the rest.
            assertThat(body).doesNotContainPattern("\":[^ ]").doesNotContainPattern("[\"el0-9],\"");
            assertThat(body.chars().allMatch(c -> c < 0x80)).isTrue();
        }
    }

    @Test
    void theConsumerReadsEveryBodyWithTheSameValues() throws Exception {
        EventCodec codec = new EventCodec(32_768);
        for (String body : bodies(2_000, BodyFormat.PROTOTYPE)) {
            DecodedBody d = codec.decode(body);
            assertThat(d.rejections()).as(body).isEmpty();
            Event e = d.events().get(0);
            JsonNode o = JSON.readTree(body);
            assertThat(e.id()).isEqualTo(o.get("id").textValue());
            assertThat(e.get(EventField.USER_ID)).isEqualTo(o.has("user_id") ? o.get("user_id").textValue() : null);
            assertThat(e.get(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE)).isEqualTo(o.get("context_traits_taxfix_language").textValue());
            assertThat(e.get(EventField.CONTEXT_DEVICE_TOKEN)).isNull();
            assertThat(e.extra()).as("no field outside the prototype's").isNull();
        }
    }

    @Test
    void theEventpipeFormatWritesEveryFieldAndExtraFieldsSuchAsTheScreenName() throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        for (String body : bodies(2_000, BodyFormat.EVENTPIPE)) {
            objects.add(JSON.readTree(body));
        }
        assertThat(objects).anySatisfy(o -> assertThat(o.has("screen_name")).isTrue());
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.has("context_app_version")).isTrue();
            assertThat(o.has("context_timezone")).isTrue();
            assertThat(o.get("original_timestamp").textValue()).contains("T").matches(".*[+-]\\d{2}:\\d{2}");
        });
    }

    @Test
    void formatsAreNamedOnTheCommandLineInAnyCase() {
        assertThat(BodyFormat.parse("Prototype")).isEqualTo(BodyFormat.PROTOTYPE);
        assertThat(BodyFormat.parse("eventpipe")).isEqualTo(BodyFormat.EVENTPIPE);
        assertThatThrownBy(() -> BodyFormat.parse("segment"))
                .hasMessageContaining("'segment'").hasMessageContaining("prototype, eventpipe");
    }
}
