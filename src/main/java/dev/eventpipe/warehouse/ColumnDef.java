package dev.eventpipe.warehouse;

import dev.eventpipe.event.FieldType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column as a dialect declares it.
 *
 * @param name    the column name (unquoted)
 * @param type    the SQL type in the dialect's words ({@code varchar(128)}, {@code VARCHAR(512)}, {@code TIMESTAMP})
 * @param kind    the kind of value it holds
 * @param notNull whether it is declared NOT NULL
 */
public record ColumnDef(String name, String type, FieldType kind, boolean notNull) {

    private static final Pattern WIDTH = Pattern.compile("\\((\\d+)\\)\\s*$");

    /** The declared width in the engine's units (characters; bytes on Redshift), or 0 when unbounded. */
    public int width() {
        Matcher m = WIDTH.matcher(type);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** {@code "name" type [NOT NULL]}. */
    public String definition(Dialect d) {
        return d.quote(name) + " " + type + (notNull ? " NOT NULL" : "");
    }

    /**
     * A change to an existing column that keeps every value.
     *
     * @param target      what the column becomes
     * @param retype      whether its type changes (a wider text, or a number to its decimal text)
     * @param dropNotNull whether its NOT NULL goes (eventpipe leaves it null when an event has no value)
     */
    public record Change(ColumnDef target, boolean retype, boolean dropNotNull) {
    }
}
