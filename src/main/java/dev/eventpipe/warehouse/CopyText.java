package dev.eventpipe.warehouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.FieldType;
import dev.eventpipe.event.Timestamps;
import dev.eventpipe.store.NdjsonGzip;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one event file (gzip NDJSON in the file form) into rows of PostgreSQL's COPY text format:
 * the event columns of {@link Schema#eventColumns()} then {@code source_file}, tab-separated.
 * Every value is checked on the way, so a bad file is found before any of it reaches the server.
 */
public final class CopyText {

    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> COLUMNS = Schema.eventColumns();
    private static final Map<String, Integer> INDEX = new HashMap<>();
    private static final EventField[] FIELDS = EventField.values();

    static {
        for (int i = 0; i < COLUMNS.size(); i++) {
            INDEX.put(COLUMNS.get(i), i);
        }
    }

    /** One converted file. */
    public record Converted(byte[] text, long rows) {
    }

    private CopyText() {
    }

    /** Converts a whole file: the event columns then {@code source_file}. */
    public static Converted convert(String fileKey, InputStream gzip) {
        return convert(fileKey, gzip, "");
    }

    /**
     * Converts a whole file: the event columns, {@code source_file}, then {@code trailer} (more
     * columns, already in COPY text, each preceded by a tab) on every row.
     *
     * @throws UnreadableFileException on bad gzip, a line that is not a JSON object, a value of the
     *     wrong type, a bad timestamp, or a missing required field
     */
    public static Converted convert(String fileKey, InputStream gzip, String trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        StringBuilder row = new StringBuilder(1024);
        String[] values = new String[COLUMNS.size()];
        long rows = 0;
        long lineNo = 0;
        try (BufferedReader r = NdjsonGzip.reader(gzip)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                parse(line, values, fileKey, lineNo);
                row.setLength(0);
                for (String v : values) {
                    append(row, v);
                    row.append('\t');
                }
                append(row, fileKey);
                row.append(trailer).append('\n');
                out.write(row.toString().getBytes(StandardCharsets.UTF_8));
                rows++;
            }
        } catch (IOException e) {
            throw new UnreadableFileException(fileKey, "line " + (lineNo + 1) + ": " + e.getMessage(), e);
        }
        return new Converted(out.toByteArray(), rows);
    }

    private static void parse(String line, String[] values, String fileKey, long lineNo) throws IOException {
        java.util.Arrays.fill(values, null);
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(fileKey, lineNo, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                Integer i = INDEX.get(p.currentName());
                JsonToken v = p.nextToken();
                if (i == null) {
                    p.skipChildren();
                    continue;
                }
                if (v == JsonToken.VALUE_NULL) {
                    continue;
                }
                FieldType type = i < FIELDS.length ? FIELDS[i].type() : FieldType.TEXT;
                String name = COLUMNS.get(i);
                switch (type) {
                    case TEXT -> {
                        if (v != JsonToken.VALUE_STRING) {
                            throw bad(fileKey, lineNo, "wrong type in '" + name + "'");
                        }
                        values[i] = p.getText();
                    }
                    case TIMESTAMP, TIMESTAMP_TZ -> {
                        if (v != JsonToken.VALUE_STRING) {
                            throw bad(fileKey, lineNo, "wrong type in '" + name + "'");
                        }
                        String s = p.getText();
                        try {
                            Timestamps.parse(s);
                        } catch (IllegalArgumentException e) {
                            throw bad(fileKey, lineNo, "bad timestamp in '" + name + "'");
                        }
                        values[i] = s;
                    }
                    case BOOLEAN -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                            throw bad(fileKey, lineNo, "wrong type in '" + name + "'");
                        }
                        values[i] = v == JsonToken.VALUE_TRUE ? "t" : "f";
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw bad(fileKey, lineNo, "not one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw bad(fileKey, lineNo, "invalid JSON: " + e.getOriginalMessage());
        }
        for (EventField f : FIELDS) {
            if (f.required() && values[f.ordinal()] == null) {
                throw bad(fileKey, lineNo, "missing field '" + f.jsonName() + "'");
            }
        }
    }

    private static UnreadableFileException bad(String fileKey, long lineNo, String why) {
        return new UnreadableFileException(fileKey, "line " + lineNo + ": " + why, null);
    }

    /** COPY text escaping: backslash, tab, newline and carriage return; null is {@code \N}. */
    private static void append(StringBuilder b, String v) {
        if (v == null) {
            b.append("\\N");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
    }
}
