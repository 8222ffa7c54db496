package dev.eventpipe.warehouse;

import java.time.Instant;

/**
 * Totals of the warehouse.
 *
 * @param rows              rows in {@code events}
 * @param distinctIds       distinct ids in {@code events} (equal to rows: ids are unique)
 * @param filesLoaded       files in the ledger
 * @param rowsInFiles       rows the loaded files held
 * @param duplicatesSkipped rows of loaded files skipped as duplicates ({@code rowsInFiles - rows})
 * @param duplicatesRecorded the duplicates the ledger recorded file by file, or null where the engine
 *                          cannot tell per file (Redshift): checked against {@code duplicatesSkipped}
 * @param lastLoad          when the latest file was loaded, or null
 * @param latestReceivedAt  the newest {@code received_at}, or null
 */
public record WarehouseStats(long rows, long distinctIds, long filesLoaded, long rowsInFiles, long duplicatesSkipped,
                             Long duplicatesRecorded, Instant lastLoad, Instant latestReceivedAt) {
}
