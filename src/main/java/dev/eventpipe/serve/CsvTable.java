package dev.eventpipe.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer as CSV (RFC 4180, a header row first). A text cell that a spreadsheet would take for a
 * formula ({@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return first: an event name
 * is whatever a client sent) gets a leading {@code '}, as OWASP advises against CSV injection.
 */
final class CsvTable {

    private static final CsvMapper CSV = new CsvMapper();

    private CsvTable() {
    }

    static byte[] bytes(Answers.Table table) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        table.csvHeader().forEach(schema::addColumn);
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : table.csvRows()) {
            rows.add(row.stream().map(CsvTable::cell).toList());
        }
        try {
            return CSV.writer(schema.build()).writeValueAsBytes(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as CSV: " + e.getMessage(), e);
        }
    }

    static Object cell(Object value) {
        if (value instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return value;
    }
}
