package dev.eventpipe.warehouse;

/**
 * How {@link Warehouse#migrate} treats a table it adopts.
 *
 * @param moveDuplicates keep the first row of each repeated id (earliest {@code received_at}) and move
 *                       the others to {@value Schema#ADOPTED_DUPLICATES}; without it, repeated ids stop the migration
 * @param dryRun         work out and return the statements, change nothing
 */
public record MigrationOptions(boolean moveDuplicates, boolean dryRun) {
}
