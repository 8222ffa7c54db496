package dev.eventpipe.event;

import java.time.DateTimeException;
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
 *
 * <p>Every event carries four timestamps, so the common shapes are read and written by hand
 * (several times faster than {@link DateTimeFormatter}); anything else falls back to the formatters,
 * which decide what is valid.
 */
public final class Timestamps {

    private static final DateTimeFormatter PLAIN = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /**
     * Parses either accepted form to an offset time (UTC for the plain form).
     *
     * @throws IllegalArgumentException when the text is in neither form or names no real time
     */
    public static OffsetDateTime parse(String text) {
        OffsetDateTime t = parseFast(text);
        if (t == null) {
            try {
                t = text.length() > 10 && text.charAt(10) == ' '
                        ? LocalDateTime.parse(text, PLAIN).atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)
                        : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a timestamp: '" + text + "'", e);
            }
        }
        // The file format and every warehouse hold four-digit years.
        int year = t.atZoneSameInstant(ZoneOffset.UTC).getYear();
        if (year < 1 || year > 9999 || t.getYear() < 1 || t.getYear() > 9999) {
            throw new IllegalArgumentException("year out of range 1..9999: '" + text + "'");
        }
        return t;
    }

    /** {@code yyyy-MM-dd[ T]HH:mm:ss[.fraction][Z|±hh:mm]}, or null to let the formatters decide. */
    private static OffsetDateTime parseFast(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        char sep = s.charAt(10);
        if (sep != ' ' && sep != 'T') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nano = nano * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nano *= 10;
            }
        }
        ZoneOffset offset;
        if (sep == ' ') {
            if (i != n) {
                return null;
            }
            offset = ZoneOffset.UTC;
        } else if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            try {
                offset = ZoneOffset.ofHoursMinutes(s.charAt(i) == '-' ? -oh : oh, s.charAt(i) == '-' ? -om : om);
            } catch (DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano / 1000 * 1000, offset);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a timestamp: '" + s + "'", e);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number in {@code len} digits at {@code at}, or -1 when one is not a digit. */
    private static int digits(String s, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC: the form written to files and read by every warehouse. */
    public static String formatUtc(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        char[] c = new char[26];
        write(c, t, ' ');
        return new String(c);
    }

    /** ISO-8601 with the offset kept: {@code yyyy-MM-ddTHH:mm:ss.SSSSSS+hh:mm}. */
    public static String formatWithOffset(OffsetDateTime time) {
        char[] c = new char[32];
        write(c, time.toLocalDateTime(), 'T');
        int total = time.getOffset().getTotalSeconds();
        c[26] = total < 0 ? '-' : '+';
        total = Math.abs(total);
        put(c, 27, total / 3600, 2);
        c[29] = ':';
        put(c, 30, total / 60 % 60, 2);
        return new String(c);
    }

    private static void write(char[] c, LocalDateTime t, char sep) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, t.getDayOfMonth(), 2);
        c[10] = sep;
        put(c, 11, t.getHour(), 2);
        c[13] = ':';
        put(c, 14, t.getMinute(), 2);
        c[16] = ':';
        put(c, 17, t.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1000, 6);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
