package dev.eventpipe.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where each section header and key of an INI text is, by line: the facts {@code INIConfiguration}
 * does not keep (it merges a repeated section, keeps no line numbers and takes any line as a key).
 * Values are not read here; {@link IniFile} takes them from {@code INIConfiguration}. Each key line
 * also keeps its text as Python's ConfigParser (the original prototype's reader) would read it, so
 * a value the two read differently can be pointed out.
 *
 * @param keys             every key line in file order
 * @param repeatedSections one warning per section header given more than once
 */
record IniLines(List<KeyLine> keys, List<String> repeatedSections) {

    /** A {@code key = value} line: its section and key (lower-cased, as they are looked up) and ConfigParser's value. */
    record KeyLine(int line, String section, String key, String configParserValue) {
    }

    /**
     * Scans {@code text}, read from {@code file}.
     *
     * @throws SettingsException for a line that is not a section header, a key line or a comment, a key
     *                           before the first section, or a key given twice in one section
     */
    static IniLines scan(String text, Path file) {
        String name = file.toString();
        List<KeyLine> keys = new ArrayList<>();
        Map<String, Integer> sectionLines = new LinkedHashMap<>();
        Map<String, KeyLine> seen = new LinkedHashMap<>();
        List<String> repeated = new ArrayList<>();
        String section = null;
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                if (end < 0) {
                    throw new SettingsException(invalid(name, number, line, "a [section] header must end with ']'"));
                }
                String rest = line.substring(end + 1).strip();
                if (!(rest.isEmpty() || rest.startsWith(";") || rest.startsWith("#"))) {
                    throw new SettingsException(invalid(name, number, line, "only a ; or # comment may follow a [section] header"));
                }
                section = line.substring(1, end).strip().toLowerCase(Locale.ROOT);
                Integer first = sectionLines.putIfAbsent(section, number);
                if (first != null) {
                    repeated.add("section [" + section + "] appears twice in " + file.getFileName() + " (lines " + first + " and " + number
                            + "): its keys are read as one section");
                }
                continue;
            }
            int separator = separator(line);
            String key = (separator < 0 ? line : line.substring(0, separator)).strip().toLowerCase(Locale.ROOT);
            if (section == null) {
                throw new SettingsException(invalid(name, number, line, "a key before the first [section]"));
            }
            if (key.isEmpty()) {
                throw new SettingsException(invalid(name, number, line, "no key before '" + line.charAt(separator) + "'"));
            }
            String value = separator < 0 ? "" : line.substring(separator + 1).strip();
            KeyLine k = new KeyLine(number, section, key, value);
            KeyLine first = seen.putIfAbsent(section + "." + key, k);
            if (first != null) {
                // ConfigParser refuses this too; which of two values was meant only the user knows.
                throw new SettingsException("settings file '" + name + "': [" + section + "] " + key + " is given twice (lines "
                        + first.line() + " and " + number + "): keep one (to override a key, set "
                        + RawSettings.variable(section, key) + ")");
            }
            keys.add(k);
            // INIConfiguration joins the next line to a value that ends with ' \'; so must the scan.
            while (continues(value) && i + 1 < lines.length) {
                i++;
                value = lines[i].strip();
            }
        }
        return new IniLines(List.copyOf(keys), List.copyOf(repeated));
    }

    private static String invalid(String name, int number, String line, String why) {
        return "settings file '" + name + "' is not a valid INI file: line " + number + " '" + shown(line) + "': " + why;
    }

    /** A line as it may be printed: a secret key's value masked. */
    private static String shown(String line) {
        int separator = separator(line);
        if (separator < 0) {
            return Secrets.maskUrl(line);
        }
        String key = line.substring(0, separator).strip();
        return key + " " + line.charAt(separator) + " " + Secrets.shown(key, line.substring(separator + 1).strip());
    }

    /** The first '=' or ':', as ConfigParser splits a key from its value. */
    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    }

    private static boolean continues(String value) {
        return value.equals("\\") || value.length() > 2 && value.endsWith("\\") && Character.isWhitespace(value.charAt(value.length() - 2));
    }
}
