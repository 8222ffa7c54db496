package dev.eventpipe.warehouse;

/**
 * One way an {@code events} table eventpipe did not create differs from eventpipe's.
 *
 * @param found    what the table has (a type, or null when the column is missing)
 * @param expected what eventpipe needs (a type, or null)
 */
public record TableDifference(Kind kind, String column, String found, String expected) {

    /** What differs, and so what {@code migrate} does about it. */
    public enum Kind {
        /** The column is added. */
        MISSING_COLUMN,
        /** A text column narrower than eventpipe's is widened. */
        NARROW_COLUMN,
        /** A number where eventpipe keeps text ({@code user_id INTEGER}) becomes its decimal text. */
        CONVERTED_TYPE,
        /** NOT NULL where eventpipe leaves the column empty when an event has no value is dropped. */
        NOT_NULL,
        /** The primary key on {@code id} (what makes a load skip ids already stored) is added. */
        NO_PRIMARY_KEY,
        /** Nothing migrate can do keeps every value: it refuses. */
        INCOMPATIBLE
    }

    /** Whether {@code migrate} can fix it keeping every value. */
    public boolean fixable() {
        return kind != Kind.INCOMPATIBLE;
    }

    /** One line for people. */
    public String line() {
        return switch (kind) {
            case MISSING_COLUMN -> "missing column " + column + " (" + expected + ")";
            case NARROW_COLUMN -> "narrow column " + column + ": " + found + ", eventpipe's is " + expected;
            case CONVERTED_TYPE -> column + " is " + found + ": eventpipe stores it as text (" + expected + ")";
            case NOT_NULL -> column + " is NOT NULL: eventpipe leaves it empty when an event has no value";
            case NO_PRIMARY_KEY -> "no primary key on id: eventpipe's loads rely on it to skip ids already stored";
            case INCOMPATIBLE -> column + " is " + found + " where eventpipe needs " + expected + ": migrate cannot convert it";
        };
    }
}
