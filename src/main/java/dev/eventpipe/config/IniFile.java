package dev.eventpipe.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.convert.DisabledListDelimiterHandler;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * A settings file read with Commons Configuration's {@link INIConfiguration}: UTF-8 (a byte-order
 * mark is skipped), section and key names lower-cased, values as INIConfiguration reads them and
 * never interpolated. Whatever cannot be read is a {@link SettingsException} that says what is wrong.
 *
 * @param sections section, then key, then value
 * @param warnings a repeated section; a value INIConfiguration reads otherwise than the original
 *                 prototype's Python ConfigParser did
 */
record IniFile(Map<String, Map<String, String>> sections, List<String> warnings) {

    /** Reads {@code file}, which must exist. */
    static IniFile read(Path file) {
        if (Files.isDirectory(file)) {
            throw new SettingsException("settings file '" + file + "' is a folder, not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SettingsException("settings file '" + file + "' not found", e);
        } catch (AccessDeniedException e) {
            throw new SettingsException("settings file '" + file + "' cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new SettingsException("settings file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        String text = utf8(bytes, file);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        IniLines lines = IniLines.scan(text, file);
        // '[aws] ; the queue' is section aws, as in ConfigParser.
        INIConfiguration ini = INIConfiguration.builder().setSectionInLineCommentsAllowed(true).build();
        // A comma in a value is data (report_events splits its own list), as in ConfigParser.
        ini.setListDelimiterHandler(DisabledListDelimiterHandler.INSTANCE);
        try {
            ini.read(new StringReader(text));
        } catch (ConfigurationException | IOException e) {
            throw new SettingsException("settings file '" + file + "' is not a valid INI file: " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        // The node values themselves: getString() would interpolate ${...} in a password or URL.
        for (ImmutableNode section : ini.getNodeModel().getNodeHandler().getRootNode().getChildren()) {
            Map<String, String> keys = sections.computeIfAbsent(name(section), s -> new LinkedHashMap<>());
            for (ImmutableNode key : section.getChildren()) {
                keys.put(name(key), key.getValue() == null ? "" : key.getValue().toString().strip());
            }
        }
        List<String> warnings = new ArrayList<>(lines.repeatedSections());
        for (IniLines.KeyLine k : lines.keys()) {
            String read = sections.getOrDefault(k.section(), Map.of()).get(k.key());
            if (read != null && !read.equals(k.configParserValue())) {
                warnings.add(readOtherwise(k, read, file.getFileName().toString()));
            }
        }
        return new IniFile(sections, List.copyOf(warnings));
    }

    private static String name(ImmutableNode node) {
        return node.getNodeName().strip().toLowerCase(Locale.ROOT);
    }

    private static String readOtherwise(IniLines.KeyLine k, String read, String fileName) {
        String where = "[" + k.section() + "] " + k.key() + " on line " + k.line() + " of " + fileName;
        String how = Secrets.isSecretKey(k.key()) ? " is not read as the original prototype (Python's ConfigParser) read it"
                : " is read as '" + SettingsReader.oneLine(Secrets.maskUrl(read)) + "', where the original prototype (Python's ConfigParser) read '"
                        + Secrets.maskUrl(k.configParserValue()) + "'";
        return where + how + ": quotes around a value, an inline ' ;' or ' #' comment and a trailing ' \\' are INI syntax here";
    }

    /** {@code bytes} as UTF-8; a byte that is not is named with its line and column. */
    private static String utf8(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // A UTF-8 sequence of n bytes is at most n chars, so this never overflows.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            throw new SettingsException(String.format(Locale.ROOT, "settings file '%s' line %d is not UTF-8 (byte 0x%02X at column %d): save it as UTF-8",
                    file, line, bytes[at] & 0xFF, column));
        }
        return out.flip().toString();
    }
}
