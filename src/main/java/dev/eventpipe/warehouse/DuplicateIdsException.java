package dev.eventpipe.warehouse;

/**
 * A table to adopt holds ids more than once and the caller did not ask to move the extra rows aside:
 * nothing was changed. eventpipe keeps one row per id, and never drops a row without being told.
 */
public final class DuplicateIdsException extends WarehouseException {

    private final DuplicateIds duplicates;

    public DuplicateIdsException(DuplicateIds duplicates) {
        super("in the events table, " + duplicates.line() + ": nothing was changed", null);
        this.duplicates = duplicates;
    }

    public DuplicateIds duplicates() {
        return duplicates;
    }
}
