package dev.eventpipe.warehouse;

import java.util.List;

/**
 * What {@link Warehouse#migrate} did (or, in a dry run, would do).
 *
 * @param fromVersion     the schema version found (0: none)
 * @param rowsKept        rows of {@code events} after the migration
 * @param duplicatesMoved rows moved to {@value Schema#ADOPTED_DUPLICATES}
 * @param differences     what an adopted table differed in (empty otherwise)
 * @param statements      the statements run in the one transaction, in order
 */
public record MigrationResult(Kind kind, int fromVersion, long rowsKept, long duplicatesMoved, List<TableDifference> differences,
                              List<String> statements, boolean dryRun) {

    /** What was found, and so what was done. */
    public enum Kind {
        /** Already at this version. */
        UNCHANGED,
        /** No schema: created. */
        CREATED,
        /** An older eventpipe schema: migrated. */
        UPGRADED,
        /** An {@code events} table eventpipe did not create: adopted. */
        ADOPTED
    }

    public MigrationResult {
        differences = List.copyOf(differences);
        statements = List.copyOf(statements);
    }

    /** One summary line. */
    public String line() {
        String would = dryRun ? "would be " : "";
        return switch (kind) {
            case UNCHANGED -> "schema version " + Schema.VERSION + " already: nothing to do";
            case CREATED -> "schema version " + Schema.VERSION + " " + would + "created";
            case UPGRADED -> String.format("schema version %d %smigrated to %d, %,d rows kept: %s", fromVersion, would, Schema.VERSION,
                    rowsKept, Schema.describe(Schema.VERSION));
            case ADOPTED -> String.format("the events table eventpipe did not create %sadopted as schema version %d: %,d rows kept, "
                            + "%d columns added, %d widened, %d converted to text, %d NOT NULL dropped, %s, %,d duplicate rows moved to %s",
                    would, Schema.VERSION, rowsKept, count(TableDifference.Kind.MISSING_COLUMN), count(TableDifference.Kind.NARROW_COLUMN),
                    count(TableDifference.Kind.CONVERTED_TYPE), count(TableDifference.Kind.NOT_NULL),
                    count(TableDifference.Kind.NO_PRIMARY_KEY) > 0 ? "primary key on id added" : "ids unique", duplicatesMoved,
                    Schema.ADOPTED_DUPLICATES);
        };
    }

    private long count(TableDifference.Kind k) {
        return differences.stream().filter(d -> d.kind() == k).count();
    }
}
