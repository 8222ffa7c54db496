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
                    rowsKept, java.util.stream.IntStream.rangeClosed(fromVersion + 1, Schema.VERSION).mapToObj(Schema::describe)
                            .collect(java.util.stream.Collectors.joining("; ")));
            case ADOPTED -> String.format("the events table eventpipe did not create %sadopted as schema version %d: %,d rows kept; %s",
                    would, Schema.VERSION, rowsKept, changes());
        };
    }

    /** What adopting changed, the parts that happened. */
    private String changes() {
        List<String> parts = new java.util.ArrayList<>();
        part(parts, count(TableDifference.Kind.MISSING_COLUMN), "%d columns added");
        part(parts, count(TableDifference.Kind.NARROW_COLUMN), "%d widened");
        part(parts, count(TableDifference.Kind.CONVERTED_TYPE), "%d converted to text");
        part(parts, count(TableDifference.Kind.NOT_NULL), "NOT NULL dropped on %d");
        part(parts, count(TableDifference.Kind.NO_PRIMARY_KEY), "primary key on id added");
        part(parts, duplicatesMoved, "%,d duplicate rows moved to " + Schema.ADOPTED_DUPLICATES);
        return parts.isEmpty() ? "nothing else to change" : String.join(", ", parts);
    }

    private static void part(List<String> parts, long n, String format) {
        if (n > 0) {
            parts.add(String.format(format, n));
        }
    }

    private long count(TableDifference.Kind k) {
        return differences.stream().filter(d -> d.kind() == k).count();
    }
}
