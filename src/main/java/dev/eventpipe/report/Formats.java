package dev.eventpipe.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes times, durations and numbers for people (UTC, English). */
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code 2026-11-24 15:42:10 UTC}, or {@code none}. */
    static String time(Instant t) {
        return t == null ? "none" : TIME.format(t);
    }

    /** {@code 45 s}, {@code 3 min 12 s}, {@code 2 h 5 min}, {@code 1 d 3 h}; negative with a minus; {@code n/a} for null. */
    static String duration(Duration d) {
        if (d == null) {
            return "n/a";
        }
        String sign = d.isNegative() ? "-" : "";
        long s = d.abs().getSeconds();
        if (s < 60) {
            return sign + s + " s";
        }
        if (s < 3600) {
            return sign + s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return sign + s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return sign + s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    /** {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 37.5 %}, or {@code n/a} for null. */
    static String percent(Double p) {
        return p == null ? "n/a" : String.format(Locale.ROOT, "%.1f %%", p);
    }
}
