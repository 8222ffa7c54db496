package dev.eventpipe.warehouse;

import java.time.Instant;

/**
 * Totals of the warehouse.
 *
 * @param rows              rows in {@code events}
 * @param distinctIds       distinct ids in {@code events} (equal to rows: ids are unique)
 * @param filesLoaded       files in the ledger
 * @param rowsInFiles       rows the loaded files held
 * @param duplicatesSkipped rows of loaded files skipped as duplicates ({@code rowsInFiles - (rows - rowsAdopted)})
 * @param duplicatesRecorded the duplicates the ledger recorded file by file, or null where some file's
 *                          were not recorded (Redshift loads before eventpipe tagged rows per file):
 *                          checked against {@code duplicatesSkipped}
 * @param lastLoad          when the latest file was loaded, or null
 * @param newestArrival     when the newest row arrived by the pipeline's own clocks ({@code queued_at}, else
 *                          {@code consumed_at}, else {@code loaded_at}), or null; never a client-sent time
 * @param rowsAdopted       rows that were in a table eventpipe adopted ({@code eventpipe migrate} on the
 *                          original prototype's), not loaded from any file: part of {@code rows}, not of
 *                          {@code rowsInFiles}; 0 for a warehouse eventpipe created
 */
public record WarehouseStats(long rows, long distinctIds, long filesLoaded, long rowsInFiles, long duplicatesSkipped,
                             Long duplicatesRecorded, Instant lastLoad, Instant newestArrival, long rowsAdopted) {
}
