package dev.eventpipe.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.InvalidFileFormatException;
import org.ini4j.Profile;

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

    private RawSettings(Map<String, Map<String, Value>> sections) {
        this.sections = sections;
    }

    /**
     * Reads {@code file} (absent is allowed only when {@code required} is false) and overlays the
     * environment variables of the known sections.
     */
    static RawSettings load(Path file, boolean required, Map<String, String> env, Set<String> knownSections) {
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            readIni(file, sections);
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
        return new RawSettings(sections);
    }

    private static void readIni(Path file, Map<String, Map<String, Value>> sections) {
        Config config = new Config();
        config.setEscape(false);
        config.setMultiOption(false);
        config.setMultiSection(false);
        config.setEmptyOption(true);
        config.setLowerCaseOption(true);
        config.setLowerCaseSection(true);
        config.setGlobalSection(false);
        Ini ini = new Ini();
        ini.setConfig(config);
        try (Reader reader = Files.newBufferedReader(file)) {
            ini.load(reader);
        } catch (InvalidFileFormatException e) {
            throw new SettingsException("settings file '" + file + "' is not a valid INI file: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new SettingsException("settings file '" + file + "' not found", e);
        } catch (IOException e) {
            throw new SettingsException("settings file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        for (Map.Entry<String, Profile.Section> s : ini.entrySet()) {
            Map<String, Value> keys = sections.computeIfAbsent(s.getKey().trim(), k -> new LinkedHashMap<>());
            for (Map.Entry<String, String> kv : s.getValue().entrySet()) {
                String text = kv.getValue() == null ? "" : kv.getValue().trim();
                keys.put(kv.getKey().trim(), new Value(text, file.getFileName().toString()));
            }
        }
    }

    Value get(String section, String key) {
        Map<String, Value> keys = sections.get(section);
        return keys == null ? null : keys.get(key);
    }

    Map<String, Map<String, Value>> sections() {
        return sections;
    }
}
