package dev.eventpipe.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void readsThePlainUtcFormWithAndWithoutFraction() {
        assertThat(Timestamps.parse("2024-05-01 10:20:30")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 20, 30, 0, ZoneOffset.UTC));
        assertThat(Timestamps.parse("2024-05-01 10:20:30.5")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 20, 30, 500_000_000, ZoneOffset.UTC));
        assertThat(Timestamps.parse("2024-05-01 10:20:30.123456")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 20, 30, 123_456_000, ZoneOffset.UTC));
    }

    @Test
    void readsIsoWithAnOffsetAndKeepsTheOffset() {
        assertThat(Timestamps.parse("2024-05-01T10:20:30+02:00")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 20, 30, 0, ZoneOffset.ofHours(2)));
        assertThat(Timestamps.parse("2024-05-01T10:20:30.250Z").toInstant()).isEqualTo(Instant.parse("2024-05-01T10:20:30.250Z"));
        assertThat(Timestamps.parse("2024-05-01T10:20:30-05:30").getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-5, -30));
    }

    @Test
    void keepsMicrosecondsAndDropsNanoseconds() {
        assertThat(Timestamps.parse("2024-05-01T10:20:30.123456789Z").getNano()).isEqualTo(123_456_000);
    }

    @Test
    void acceptsWhatTheIsoFormatterAcceptsBeyondTheCommonShapes() {
        assertThat(Timestamps.parse("2024-05-01T10:20Z").toInstant()).isEqualTo(Instant.parse("2024-05-01T10:20:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-01 00:00:00", "2024-02-30 10:00:00", "2024-05-01 25:00:00",
            "2024-05-01T10:20:30", "31/12/2024 10:00", "2024-05-01 10:20:30Z", "2024-05-01 10:20:30.", "1700000000", ""})
    void rejectsTextThatIsNeitherForm(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesWhatItReadsAndAgreesWithTheJdkFormatters() {
        SplittableRandom r = new SplittableRandom(7);
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
        DateTimeFormatter offset = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_799L), r.nextInt(1_000_000) * 1000L);
            ZoneOffset o = ZoneOffset.ofTotalSeconds(r.nextInt(-18 * 4, 18 * 4 + 1) * 900);
            assertThat(Timestamps.formatUtc(t)).isEqualTo(utc.format(t));
            assertThat(Timestamps.parse(Timestamps.formatUtc(t)).toInstant()).isEqualTo(t);
            OffsetDateTime ot = t.atOffset(o);
            assertThat(Timestamps.formatWithOffset(ot)).isEqualTo(offset.format(ot));
            assertThat(Timestamps.parse(Timestamps.formatWithOffset(ot))).isEqualTo(ot.truncatedTo(ChronoUnit.MICROS));
        }
    }
}
