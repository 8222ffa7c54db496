package dev.eventpipe.warehouse;

import java.util.List;

/**
 * The warehouse holds an {@code events} table eventpipe did not create (no row in
 * {@code eventpipe_schema}; the original prototype's, say), so eventpipe neither writes to it nor
 * replaces it; {@code eventpipe migrate} adopts it, or refuses when a difference cannot be fixed.
 */
public final class ForeignEventsTableException extends WarehouseException {

    private final List<TableDifference> differences;
    private final DuplicateIds duplicates;

    public ForeignEventsTableException(String message, List<TableDifference> differences, DuplicateIds duplicates) {
        super(message, null);
        this.differences = List.copyOf(differences);
        this.duplicates = duplicates;
    }

    /** Each way the table differs from eventpipe's. */
    public List<TableDifference> differences() {
        return differences;
    }

    /** Ids the table holds more than once. */
    public DuplicateIds duplicates() {
        return duplicates;
    }
}
