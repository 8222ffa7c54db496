package dev.eventpipe.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed, validated access to {@link RawSettings}. Every getter names a key and its default; the
 * keys asked for are the known keys, so whatever else the file holds is reported as unknown.
 * A bad value throws {@link SettingsException} with {@code [section] key = 'value': what is allowed}.
 */
final class SettingsReader {

    private final RawSettings raw;
    private final Path baseDir;
    private final Map<String, String> effective = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    SettingsReader(RawSettings raw, Path baseDir) {
        this.raw = raw;
        this.baseDir = baseDir;
    }

    String text(String section, String key, String def) {
        RawSettings.Value v = raw.get(section, key);
        String value = v == null || v.text().isEmpty() ? def : v.text();
        record(section, key, value, v);
        return value;
    }

    int integer(String section, String key, int def, int min, int max) {
        return parse(section, key, def, s -> {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "must be a whole number from " + min + " to " + max);
    }

    long longInteger(String section, String key, long def, long min, long max) {
        return parse(section, key, def, s -> {
            long n = Long.parseLong(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "must be a whole number from " + min + " to " + max);
    }

    double decimal(String section, String key, double def, double min, double max) {
        return parse(section, key, def, s -> {
            // BigDecimal, not Double.parseDouble: that also takes "NaN", "0x1p-3" and "0.5f".
            double d = new BigDecimal(s).doubleValue();
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException();
            }
            return d;
        }, "must be a number from " + min + " to " + max);
    }

    boolean bool(String section, String key, boolean def) {
        return parse(section, key, def, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException();
        }, "must be true or false");
    }

    <E extends Enum<E>> E choice(String section, String key, E def, Class<E> type) {
        String allowed = String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        return parse(section, key, def, s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)),
                "must be one of: " + allowed);
    }

    /** A path; a relative one is taken from the folder of the settings file. Empty stays empty. */
    Path path(String section, String key, String def) {
        String s = text(section, key, def);
        return s.isEmpty() ? null : baseDir.resolve(s).normalize();
    }

    /** An http(s) URL, or null when empty. */
    URI url(String section, String key) {
        return parse(section, key, null, s -> {
            try {
                URI uri = new URI(s);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }, "must be an http:// or https:// URL with a host, or empty");
    }

    /** A comma-separated list; surrounding brackets and quotes (a Python-style list) are tolerated. */
    List<String> list(String section, String key, String def) {
        String s = text(section, key, def).trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if ((p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'")) && p.length() >= 2) {
                p = p.substring(1, p.length() - 1).trim();
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A text value whose rule applies only when its key is used ({@code unusedBecause} is null).
     * Otherwise any text is kept, and one that breaks the rule (a placeholder such as the original
     * prototype's {@code pwd}) is a warning saying why it is not checked further.
     */
    String textWhenUsed(String section, String key, String def, Predicate<String> rule, String allowed, String unusedBecause) {
        if (unusedBecause == null) {
            return parse(section, key, def, s -> {
                if (!rule.test(s)) {
                    throw new IllegalArgumentException(s);
                }
                return s;
            }, allowed);
        }
        String value = text(section, key, def);
        RawSettings.Value v = raw.get(section, key);
        if (v != null && !v.text().isEmpty() && !rule.test(v.text())) {
            warnings.add(message(section, key, v, allowed + "; " + unusedBecause + ", so not checked further"));
        }
        return value;
    }

    /**
     * A value parsed by {@code parser}; the parser signals a bad value with any runtime exception.
     * An empty value means the default.
     */
    <T> T parse(String section, String key, T def, Function<String, T> parser, String allowed) {
        RawSettings.Value v = raw.get(section, key);
        if (v == null || v.text().isEmpty()) {
            record(section, key, def == null ? "" : String.valueOf(def), v);
            return def;
        }
        try {
            T value = parser.apply(v.text());
            record(section, key, v.text(), v);
            return value;
        } catch (RuntimeException e) {
            throw invalid(section, key, v, allowed);
        }
    }

    /** An error for a value that parsed but breaks a rule involving other keys. */
    SettingsException invalid(String section, String key, String why) {
        RawSettings.Value v = raw.get(section, key);
        return invalid(section, key, v == null ? new RawSettings.Value(effective.getOrDefault(section + "." + key, ""), "default") : v, why);
    }

    private SettingsException invalid(String section, String key, RawSettings.Value v, String why) {
        return new SettingsException(message(section, key, v, why));
    }

    /** {@code [section] key = 'value' (from VARIABLE): why}, the value masked as {@link Secrets} says. */
    static String message(String section, String key, String text, String origin, String why) {
        String from = origin != null && origin.startsWith(RawSettings.ENV_PREFIX) ? " (from " + origin + ")" : "";
        return "[" + section + "] " + key + " = '" + oneLine(Secrets.shown(key, text)) + "'" + from + ": " + why;
    }

    /** A value joined from several lines (INI's trailing ' \') is shown on one, as every message is. */
    static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String message(String section, String key, RawSettings.Value v, String why) {
        return message(section, key, v.text(), v.origin(), why);
    }

    private void record(String section, String key, String value, RawSettings.Value v) {
        effective.put(section + "." + key, value);
        if (v != null) {
            origins.put(section + "." + key, v.origin());
        }
    }

    /** Keys present in the file or environment that no section reads, each with the closest known key. */
    private List<String> unknownKeyWarnings() {
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, Map<String, RawSettings.Value>> s : raw.sections().entrySet()) {
            for (Map.Entry<String, RawSettings.Value> k : s.getValue().entrySet()) {
                String full = s.getKey() + "." + k.getKey();
                if (effective.containsKey(full)) {
                    continue;
                }
                String closest = closest(full);
                warnings.add("unknown setting [" + s.getKey() + "] " + k.getKey() + " in " + k.getValue().origin()
                        + " is ignored" + (closest == null ? "" : "; did you mean [" + closest.replace(".", "] ") + "?"));
            }
        }
        return warnings;
    }

    private String closest(String full) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : effective.keySet()) {
            int d = editDistance(full, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(3, full.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Every key read, with its effective value; secrets and the credentials inside URLs masked. */
    Map<String, String> effective() {
        Map<String, String> masked = new LinkedHashMap<>();
        effective.forEach((k, v) -> masked.put(k, v.isEmpty() ? v : Secrets.shown(k, v)));
        return masked;
    }

    /** Where each key set in the file or the environment came from: the file's name or the variable. */
    Map<String, String> origins() {
        return Map.copyOf(origins);
    }

    /** The settings file's own warnings, then keys not checked because unused, then unknown keys. */
    List<String> warnings() {
        List<String> all = new ArrayList<>(raw.fileWarnings());
        all.addAll(warnings);
        all.addAll(unknownKeyWarnings());
        return List.copyOf(all);
    }
}
