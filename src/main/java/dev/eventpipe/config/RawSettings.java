package dev.eventpipe.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The untyped key/value pairs of a settings file with the environment laid over them:
 * {@code EVENTPIPE_<SECTION>_<KEY>} wins over the file. Each value remembers where it came from so
 * an error can point at the file or at the variable.
 */
final class RawSettings {

    static final String ENV_PREFIX = "EVENTPIPE_";

    /** A value and its origin: the settings file or the environment variable that set it. */
    record Value(String text, String origin) {
    }

    private final Map<String, Map<String, Value>> sections;
    private final List<String> fileWarnings;

    private RawSettings(Map<String, Map<String, Value>> sections, List<String> fileWarnings) {
        this.sections = sections;
        this.fileWarnings = fileWarnings;
    }

    /**
     * Reads {@code file} (absent is allowed only when {@code required} is false) and overlays the
     * environment variables of the known sections.
     */
    static RawSettings load(Path file, boolean required, Map<String, String> env, Set<String> knownSections) {
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        List<String> fileWarnings = List.of();
        // Anything at the path is read, so a folder is an error even where no file would mean the defaults.
        if (Files.exists(file)) {
            IniFile ini = IniFile.read(file);
            String origin = file.getFileName().toString();
            ini.sections().forEach((section, keys) -> keys.forEach((key, text) ->
                    sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, new Value(text, origin))));
            fileWarnings = ini.warnings();
        } else if (required) {
            throw new SettingsException("settings file '" + file + "' not found");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            int cut = rest.indexOf('_');
            if (cut <= 0 || cut == rest.length() - 1) {
                continue;
            }
            String section = rest.substring(0, cut);
            // Variables of other tools (EVENTPIPE_TEST_POSTGRES_URL) share the prefix: only known sections count.
            if (!knownSections.contains(section)) {
                continue;
            }
            sections.computeIfAbsent(section, s -> new LinkedHashMap<>())
                    .put(rest.substring(cut + 1), new Value(e.getValue().trim(), name));
        }
        return new RawSettings(sections, fileWarnings);
    }

    Value get(String section, String key) {
        Map<String, Value> keys = sections.get(section);
        return keys == null ? null : keys.get(key);
    }

    Map<String, Map<String, Value>> sections() {
        return sections;
    }

    /** What the settings file holds that works but may not be what was meant (a repeated section ...). */
    List<String> fileWarnings() {
        return fileWarnings;
    }

    /** The environment variable that overrides {@code [section] key}. */
    static String variable(String section, String key) {
        return ENV_PREFIX + section.toUpperCase(Locale.ROOT) + "_" + key.toUpperCase(Locale.ROOT);
    }
}
