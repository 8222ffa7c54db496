package dev.eventpipe.serve;

import dev.eventpipe.event.EventField;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one API call, checked: a parameter the endpoint does not take, one given
 * twice, a value that does not parse or is out of its range is a {@link ApiException#badRequest 400}
 * whose message names the parameter, the value and what is allowed. Values are only ever bound to
 * SQL parameters; the checks keep each call's cost bounded, not its SQL safe.
 */
final class QueryParams {

    static final String FROM = "from";
    static final String TO = "to";
    static final String GRANULARITY = "granularity";
    static final String EVENT = "event";
    static final String PLATFORM = "platform";
    static final String STEP = "step";
    static final String WINDOW = "window";
    static final String FORMAT = "format";

    /** The earliest and latest day a range may name: wide enough for any data, narrow enough for every engine's dates. */
    static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    static final LocalDate LATEST = LocalDate.of(9999, 12, 30);
    static final long MIN_WINDOW_SECONDS = 60;
    static final long MAX_WINDOW_SECONDS = 90L * 86_400;
    static final long DEFAULT_WINDOW_SECONDS = 86_400;
    private static final int MAX_PLATFORM_CHARS = EventField.CONTEXT_DEVICE_TYPE.maxLength();
    private static final int MAX_EVENT_CHARS = EventField.EVENT.maxLength();

    private final Map<String, List<String>> values;
    private final LocalDate today;
    private final int defaultDays;

    /**
     * @param values      each parameter's values, in the order given
     * @param today       the UTC day a range without {@code to} ends on
     * @param defaultDays how many days a range without {@code from} covers
     */
    QueryParams(Map<String, List<String>> values, LocalDate today, int defaultDays) {
        this.values = new LinkedHashMap<>(values);
        this.today = today;
        this.defaultDays = defaultDays;
    }

    /** Refuses a parameter not in {@code allowed} (a typo would otherwise be silently ignored). */
    QueryParams allowOnly(Set<String> allowed) {
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown parameter '" + shown(name) + "': this endpoint takes "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** The one value of {@code name}, or empty; given twice is an error. */
    Optional<String> single(String name) {
        List<String> v = values.getOrDefault(name, List.of());
        if (v.size() > 1) {
            throw ApiException.badRequest(name + " is given " + v.size() + " times: give it once");
        }
        return v.isEmpty() || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** {@code from} through {@code to} (UTC days); by default the last {@code defaultDays} days up to today. */
    DateRange range(Granularity g) {
        LocalDate to = single(TO).map(s -> date(TO, s)).orElse(today);
        LocalDate from = single(FROM).map(s -> date(FROM, s)).orElse(to.minusDays(defaultDays - 1L));
        if (to.isBefore(from)) {
            throw ApiException.badRequest("from = '" + from + "' is after to = '" + to + "': the range must start on or before its end");
        }
        DateRange r = new DateRange(from, to);
        if (r.days() > g.maxDays()) {
            throw ApiException.badRequest("from = '" + from + "' to '" + to + "' spans " + r.days() + " days; "
                    + g.unit() + " buckets show " + g.maxDays() + " days at most: choose a shorter range or a coarser granularity");
        }
        return r;
    }

    private static LocalDate date(String name, String s) {
        LocalDate d;
        try {
            d = LocalDate.parse(s);
        } catch (DateTimeException e) {
            throw ApiException.badRequest(name + " = '" + shown(s) + "': not a date; write YYYY-MM-DD (a UTC day)");
        }
        if (d.isBefore(EARLIEST) || d.isAfter(LATEST)) {
            throw ApiException.badRequest(name + " = '" + s + "': must be from " + EARLIEST + " to " + LATEST);
        }
        return d;
    }

    /** {@code granularity}: hour, day or week (and month); {@code def} when not given. */
    Granularity granularity(Granularity def) {
        Optional<String> s = single(GRANULARITY);
        if (s.isEmpty()) {
            return def;
        }
        Granularity g = Granularity.named(s.get());
        if (g == null) {
            throw ApiException.badRequest(GRANULARITY + " = '" + shown(s.get()) + "': must be hour, day, week or month");
        }
        return g;
    }

    /** The {@code event} values (one parameter each: a name may hold a comma), at least one and at most {@code max}. */
    List<String> events(int max) {
        return names(EVENT, 1, max);
    }

    /** The funnel's {@code step} values in order, from 2 to {@code max}. */
    List<String> steps(int max) {
        List<String> steps = new ArrayList<>();
        for (String s : values.getOrDefault(STEP, List.of())) {
            steps.add(name(STEP, s));
        }
        if (steps.size() < 2 || steps.size() > max) {
            throw ApiException.badRequest("a funnel takes 2 to " + max + " step parameters (step=a&step=b...), in order; got " + steps.size());
        }
        return steps;
    }

    private List<String> names(String param, int min, int max) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : values.getOrDefault(param, List.of())) {
            names.add(name(param, s));
        }
        if (names.size() < min || names.size() > max) {
            throw ApiException.badRequest("give " + min + " to " + max + " " + param + " parameters (" + param + "=a&" + param
                    + "=b...); got " + names.size());
        }
        return List.copyOf(names);
    }

    private static String name(String param, String s) {
        if (s.isEmpty() || s.length() > MAX_EVENT_CHARS) {
            throw ApiException.badRequest(param + " = '" + shown(s) + "': an event name has 1 to " + MAX_EVENT_CHARS + " characters");
        }
        return s;
    }

    /** {@code platform} ({@code context_device_type}), or empty for every platform. */
    Optional<String> platform() {
        Optional<String> p = single(PLATFORM);
        if (p.isPresent() && p.get().length() > MAX_PLATFORM_CHARS) {
            throw ApiException.badRequest(PLATFORM + " = '" + shown(p.get()) + "': a platform has at most " + MAX_PLATFORM_CHARS + " characters");
        }
        return p;
    }

    /** The funnel's {@code window} in seconds: how long after its first step a device may take the rest. */
    long windowSeconds() {
        Optional<String> s = single(WINDOW);
        if (s.isEmpty()) {
            return DEFAULT_WINDOW_SECONDS;
        }
        long w;
        try {
            w = Long.parseLong(s.get());
        } catch (NumberFormatException e) {
            w = -1;
        }
        if (w < MIN_WINDOW_SECONDS || w > MAX_WINDOW_SECONDS) {
            throw ApiException.badRequest(WINDOW + " = '" + shown(s.get()) + "': must be whole seconds from " + MIN_WINDOW_SECONDS
                    + " to " + MAX_WINDOW_SECONDS + " (90 days)");
        }
        return w;
    }

    /** Whether {@code format=csv} asks for CSV instead of JSON. */
    boolean csv() {
        Optional<String> f = single(FORMAT);
        if (f.isEmpty() || f.get().equals("json")) {
            return false;
        }
        if (f.get().equals("csv")) {
            return true;
        }
        throw ApiException.badRequest(FORMAT + " = '" + shown(f.get()) + "': must be json or csv");
    }

    /** A value as an error message may show it: short, on one line. */
    static String shown(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }
}
