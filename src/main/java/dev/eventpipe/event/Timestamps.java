package dev.eventpipe.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The timestamp forms of the data contract, read by one parser: {@code yyyy-MM-dd}, then {@code T}
 * or a space, {@code HH:mm[:ss[.f]]} with 0 to 9 fractional digits, then an optional offset
 * {@code Z}, {@code ±HH}, {@code ±HHMM} or {@code ±HH:MM} (none means UTC). That covers the original
 * prototype's {@code 2026-11-25 16:17:53.319991} and {@code 2026-11-25 16:17:53.319991+0100} and the
 * ISO-8601 forms Segment's SDKs send. Times are kept to the microsecond, the warehouse's precision.
 *
 * <p>Every event carries four timestamps, so they are read and written by hand (several times
 * faster than {@link DateTimeFormatter}); {@link OffsetDateTime#of} decides what is a real time.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * Parses any accepted form to an offset time (UTC when the text has no offset).
     *
     * @throws IllegalArgumentException when the text is in no accepted form or names no real time
     *     (30 February, hour 24, an offset beyond ±18:00), or its year is outside 1..9999
     */
    public static OffsetDateTime parse(String text) {
        OffsetDateTime t = read(text.toCharArray(), 0, text.length());
        if (t == null) {
            throw new IllegalArgumentException("not a timestamp: '" + text + "'");
        }
        if (!inYearRange(t)) {
            throw new IllegalArgumentException("year out of range 1..9999: '" + text + "'");
        }
        return t;
    }

    /**
     * {@link #parse} of the {@code len} chars at {@code from}, or null where it would throw: for a parser's
     * buffer, read without making a String of it first (four per event).
     */
    static OffsetDateTime parseOrNull(char[] c, int from, int len) {
        OffsetDateTime t = read(c, from, from + len);
        return t == null || !inYearRange(t) ? null : t;
    }

    /** The file format and every warehouse hold four-digit years. */
    private static boolean inYearRange(OffsetDateTime t) {
        // Without going through a zone's rules: that was a third of the time of parsing a timestamp.
        int utcYear = t.getOffset().getTotalSeconds() == 0 ? t.getYear() : t.withOffsetSameInstant(ZoneOffset.UTC).getYear();
        return utcYear >= 1 && utcYear <= 9999 && t.getYear() >= 1;
    }

    /** The time in {@code c[from..end)}, or null when it is in no accepted form or names no real time. */
    private static OffsetDateTime read(char[] c, int from, int end) {
        if (end - from < 16 || c[from + 4] != '-' || c[from + 7] != '-' || c[from + 13] != ':') {
            return null;
        }
        char sep = c[from + 10];
        if (sep != ' ' && sep != 'T') {
            return null;
        }
        int year = digits(c, from, 4);
        int month = digits(c, from + 5, 2);
        int day = digits(c, from + 8, 2);
        int hour = digits(c, from + 11, 2);
        int minute = digits(c, from + 14, 2);
        if ((year | month | day | hour | minute) < 0) {
            return null;
        }
        int i = from + 16;
        int second = 0;
        int nano = 0;
        if (i < end && c[i] == ':') {
            if (i + 3 > end || (second = digits(c, i + 1, 2)) < 0) {
                return null;
            }
            i += 3;
            if (i < end && c[i] == '.') {
                int start = ++i;
                while (i < end && isDigit(c[i])) {
                    if (i - start < 9) {
                        nano = nano * 10 + (c[i] - '0');
                    }
                    i++;
                }
                int count = i - start;
                if (count == 0 || count > 9) {
                    return null;
                }
                for (int k = count; k < 9; k++) {
                    nano *= 10;
                }
            }
        }
        ZoneOffset offset = offset(c, i, end);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano / 1000 * 1000, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The offset in {@code c[i..end)}: none (UTC), Z, ±HH, ±HHMM or ±HH:MM; null when it is none of these. */
    private static ZoneOffset offset(char[] c, int i, int end) {
        int left = end - i;
        if (left == 0) {
            return ZoneOffset.UTC;
        }
        char sign = c[i];
        if (left == 1 && sign == 'Z') {
            return ZoneOffset.UTC;
        }
        if (sign != '+' && sign != '-') {
            return null;
        }
        int hours;
        int minutes;
        if (left == 3) {
            hours = digits(c, i + 1, 2);
            minutes = 0;
        } else if (left == 5) {
            hours = digits(c, i + 1, 2);
            minutes = digits(c, i + 3, 2);
        } else if (left == 6 && c[i + 3] == ':') {
            hours = digits(c, i + 1, 2);
            minutes = digits(c, i + 4, 2);
        } else {
            return null;
        }
        if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
            return null;
        }
        int signum = sign == '-' ? -1 : 1;
        try {
            return ZoneOffset.ofHoursMinutes(signum * hours, signum * minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number in {@code len} digits at {@code at}, or -1 when one is not a digit. */
    private static int digits(char[] c, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            if (!isDigit(c[i])) {
                return -1;
            }
            v = v * 10 + (c[i] - '0');
        }
        return v;
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC: the form written to files and read by every warehouse. */
    public static String formatUtc(Instant instant) {
        char[] c = new char[UTC_LENGTH];
        formatUtc(instant, c);
        return new String(c);
    }

    /** The length of {@link #formatUtc}'s text. */
    static final int UTC_LENGTH = 26;

    /** {@link #formatUtc} into the first {@value #UTC_LENGTH} chars of {@code c}, for a writer that takes chars. */
    static void formatUtc(Instant instant, char[] c) {
        write(c, LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC), ' ');
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

    /** The original prototype's wire form: {@code yyyy-MM-dd HH:mm:ss.SSSSSS+HHMM} (Python's {@code %Y-%m-%d %H:%M:%S.%f%z}). */
    public static String formatPrototype(OffsetDateTime time) {
        char[] c = new char[31];
        write(c, time.toLocalDateTime(), ' ');
        int total = time.getOffset().getTotalSeconds();
        c[26] = total < 0 ? '-' : '+';
        total = Math.abs(total);
        put(c, 27, total / 3600, 2);
        put(c, 29, total / 60 % 60, 2);
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
