package dev.eventpipe.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The two timestamp forms of the data contract: {@code yyyy-MM-dd HH:mm:ss[.SSSSSS]} in UTC, and
 * ISO-8601 with an offset ({@code 2024-05-01T10:00:00+02:00}, {@code ...Z}). Times are kept to the
 * microsecond, the warehouse's precision.
 */
public final class Timestamps {

    private static final DateTimeFormatter PLAIN = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private static final DateTimeFormatter WRITE_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter WRITE_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private Timestamps() {
    }

    /** Parses either accepted form to an offset time (UTC for the plain form). */
    public static OffsetDateTime parse(String text) {
        try {
            if (text.length() > 10 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, PLAIN).atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a timestamp: '" + text + "'", e);
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC: the form written to files and read by every warehouse. */
    public static String formatUtc(Instant instant) {
        return WRITE_UTC.format(instant);
    }

    /** ISO-8601 with the offset kept. */
    public static String formatWithOffset(OffsetDateTime time) {
        return WRITE_OFFSET.format(time);
    }
}
