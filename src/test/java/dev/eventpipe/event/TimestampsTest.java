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
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // the original prototype's forms
            "2026-11-25 16:17:53.319991       | 2026-11-25T16:17:53.319991Z",
            "2026-11-25 16:17:53.319991+0100  | 2026-11-25T15:17:53.319991Z",
            // ISO-8601: T or space, 0 to 9 fractional digits, every offset form, none meaning UTC
            "2026-11-25T16:17:53              | 2026-11-25T16:17:53Z",
            "2026-11-25T16:17:53Z             | 2026-11-25T16:17:53Z",
            "2026-11-25 16:17:53Z             | 2026-11-25T16:17:53Z",
            "2026-11-25T16:17:53.1+01         | 2026-11-25T15:17:53.100Z",
            "2026-11-25T16:17:53.12+0130      | 2026-11-25T14:47:53.120Z",
            "2026-11-25T16:17:53.123456789-05:30 | 2026-11-25T21:47:53.123456Z",
            "2026-11-25T16:17Z                | 2026-11-25T16:17:00Z",
            // offsets at both ends of the world's range, across the date line
            "2026-01-01 00:00:00.000000-1200  | 2026-01-01T12:00:00Z",
            "2026-01-01 00:00:00.000000+1400  | 2025-12-31T10:00:00Z",
            "2026-01-01T00:00:00-12:00        | 2026-01-01T12:00:00Z",
            "2026-01-01T00:00:00+14:00        | 2025-12-31T10:00:00Z",
            // leap days
            "2024-02-29 23:59:59.999999       | 2024-02-29T23:59:59.999999Z",
            "2000-02-29T12:00:00+0000         | 2000-02-29T12:00:00Z",
            "2024-03-01 00:30:00+0100         | 2024-02-29T23:30:00Z",
            // the ends of the four-digit years
            "0001-01-01 00:00:00              | 0001-01-01T00:00:00Z",
            "9999-12-31 23:59:59.999999       | 9999-12-31T23:59:59.999999Z"})
    void readsEveryAcceptedForm(String text, String instant) {
        assertThat(Timestamps.parse(text).toInstant()).isEqualTo(Instant.parse(instant));
    }

    @Test
    void keepsTheOffsetItWasGiven() {
        assertThat(Timestamps.parse("2026-11-25 16:17:53.319991+0100").getOffset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(Timestamps.parse("2026-11-25 16:17:53.319991-0930").getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-9, -30));
        assertThat(Timestamps.parse("2026-11-25 16:17:53.319991").getOffset()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void readsEveryQuarterHourOffsetFromMinus1200ToPlus1400InEachForm() {
        Instant t = Instant.parse("2026-06-30T12:00:00Z");
        for (int quarters = -12 * 4; quarters <= 14 * 4; quarters++) {
            ZoneOffset o = ZoneOffset.ofTotalSeconds(quarters * 900);
            OffsetDateTime local = t.atOffset(o);
            int abs = Math.abs(quarters * 15);
            String sign = quarters < 0 ? "-" : "+";
            String base = local.toLocalDateTime().toString().replace('T', ' ');
            base = base.length() == 16 ? base + ":00.000000" : base + ".000000";
            for (String text : new String[] {base + sign + String.format("%02d%02d", abs / 60, abs % 60),
                    base + sign + String.format("%02d:%02d", abs / 60, abs % 60)}) {
                assertThat(Timestamps.parse(text)).as(text).isEqualTo(local);
            }
            assertThat(Timestamps.parse(Timestamps.formatPrototype(local))).isEqualTo(local);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-01 00:00:00", "2023-02-29 10:00:00", "2024-02-30 10:00:00",
            "2024-05-01 24:00:00", "2024-05-01 23:60:00", "2024-05-01 23:59:60", "2024-05-01 25:00:00",
            "2024-05-01T10:20:30+2500", "2024-05-01T10:20:30+1900", "2024-05-01T10:20:30+01:60", "2024-05-01T10:20:30+1",
            "2024-05-01T10:20:30+01:0", "2024-05-01T10:20:30+010", "2024-05-01T10:20:30 +0100", "2024-05-01T10:20:30.1234567890Z",
            "31/12/2024 10:00", "2024-05-01 10:20:30.", "2024-05-01 10:20:30.+0100", "1700000000", "", "2024-05-01",
            "2024-05-01x10:20:30", "2024-5-01 10:20:30", "0000-12-31 23:00:00", "9999-12-31T23:00:00-0100", "0001-01-01T00:30:00+0100",
            "2024-05-01 10:20:30Zjunk", "2024-05-01T10:20:30z", "\uff12\uff10\uff12\uff14-05-01 10:20:30"})
    void rejectsImpossibleOrMalformedTimes(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void writesThePrototypeWireForm() {
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 25, 16, 17, 53, 319_991_000, ZoneOffset.ofHours(1));
        assertThat(Timestamps.formatPrototype(t)).isEqualTo("2026-11-25 16:17:53.319991+0100");
        assertThat(Timestamps.formatPrototype(t.withOffsetSameInstant(ZoneOffset.ofHoursMinutes(-3, -30))))
                .isEqualTo("2026-11-25 11:47:53.319991-0330");
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
