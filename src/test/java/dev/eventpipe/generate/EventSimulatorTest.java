package dev.eventpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSimulatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static EventSimulator simulator(long eventSeed, double conversion) {
        return new EventSimulator(0, 500, 1L, eventSeed, 0.6, conversion, CLOCK);
    }

    @Test
    void timestampsAreOrderedFromTheDeviceToTheServer() {
        EventSimulator sim = simulator(1, 0.4);
        for (int i = 0; i < 5_000; i++) {
            Event e = sim.next(i % 10 == 0);
            Instant original = ((OffsetDateTime) e.get(EventField.ORIGINAL_TIMESTAMP)).toInstant();
            Instant sent = (Instant) e.get(EventField.SENT_AT);
            Instant received = (Instant) e.get(EventField.RECEIVED_AT);
            assertThat(original).isBeforeOrEqualTo(e.timestamp());
            assertThat(e.timestamp()).isBeforeOrEqualTo(sent);
            assertThat(sent).isBeforeOrEqualTo(received);
            assertThat(received).isEqualTo(CLOCK.instant());
        }
    }

    @Test
    void lateEventsAreDaysOld() {
        EventSimulator sim = simulator(2, 0.4);
        for (int i = 0; i < 1_000; i++) {
            Duration age = Duration.between(sim.next(true).timestamp(), CLOCK.instant());
            assertThat(age).isBetween(Duration.ofDays(1), Duration.ofDays(7).plusMinutes(1));
        }
    }

    @Test
    void thePlatformMatchesTheOperatingSystemAndBothArePresent() {
        EventSimulator sim = simulator(3, 0.4);
        Map<String, Integer> perPlatform = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            Event e = sim.next(false);
            String type = (String) e.get(EventField.CONTEXT_DEVICE_TYPE);
            assertThat(e.get(EventField.CONTEXT_OS_NAME)).isEqualTo(type.equals("android") ? "Android" : "iOS");
            assertThat(e.get(EventField.CONTEXT_DEVICE_MANUFACTURER).equals("Apple")).isEqualTo(type.equals("ios"));
            perPlatform.merge(type, 1, Integer::sum);
        }
        assertThat(perPlatform.keySet()).containsExactlyInAnyOrder("android", "ios");
    }

    @Test
    void theFunnelConvertsAtTheConfiguredShareAndRegisteredUsersGetAUserId() {
        EventSimulator sim = simulator(4, 0.3);
        int initiated = 0;
        int succeeded = 0;
        for (int i = 0; i < 200_000; i++) {
            Event e = sim.next(false);
            if (e.name().equals(EventSimulator.REGISTRATION_INITIATED)) {
                initiated++;
                assertThat(e.get(EventField.USER_ID)).isNull();
            } else if (e.name().equals(EventSimulator.SUBMISSION_SUCCESS)) {
                succeeded++;
                // The prototype's user ids are digits (its column is INTEGER).
                assertThat((String) e.get(EventField.USER_ID)).matches("[1-9][0-9]{5,9}");
            }
        }
        assertThat(initiated).isGreaterThan(1_000);
        double fourSigma = 4 * Math.sqrt(0.3 * 0.7 / initiated);
        assertThat((double) succeeded / initiated).isCloseTo(0.3, within(fourSigma));
    }

    @Test
    void theSamePopulationSeedGivesTheSameDevicesButEventIdsDifferAcrossRuns() {
        List<Event> a = Generator.sample(2_000, options(1L, 10L), CLOCK);
        List<Event> b = Generator.sample(2_000, options(1L, 11L), CLOCK);
        Set<Object> devicesA = new HashSet<>();
        a.forEach(e -> devicesA.add(e.get(EventField.ANONYMOUS_ID)));
        Set<Object> devicesB = new HashSet<>();
        b.forEach(e -> devicesB.add(e.get(EventField.ANONYMOUS_ID)));
        assertThat(devicesA).containsAnyElementsOf(devicesB);
        Set<String> ids = new HashSet<>();
        a.forEach(e -> ids.add(e.id()));
        b.forEach(e -> ids.add(e.id()));
        assertThat(ids).hasSize(4_000);
        assertThat(devicesA.size()).isLessThan(a.size());
    }

    @Test
    void idsAndDeviceIdsAreUpperCaseUuidsAsThePrototypeWritesThem() {
        EventSimulator sim = simulator(5, 0.4);
        for (int i = 0; i < 1_000; i++) {
            Event e = sim.next(false);
            assertThat(e.id()).matches("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
            assertThat((String) e.get(EventField.ANONYMOUS_ID)).matches("[0-9A-F-]{36}");
        }
    }

    private static GeneratorOptions options(long populationSeed, long eventSeed) {
        return new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6, populationSeed, eventSeed, 32768);
    }
}
