package dev.eventpipe.warehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What one load pass did.
 *
 * @param files         files loaded (recorded in the ledger) by this pass
 * @param rows          rows those files held
 * @param inserted      rows inserted into {@code events}
 * @param duplicates    rows skipped because their id was already loaded
 * @param archived      files moved to archive/ (loaded now or earlier)
 * @param quarantined   files moved to quarantine/
 * @param lockedOut     true when another pass held the lock and this one did nothing
 */
@JsonPropertyOrder({"files", "rows", "inserted", "duplicates", "archived", "quarantined", "quarantined_files", "locked_out", "seconds"})
public record LoadSummary(
        long files,
        long rows,
        long inserted,
        long duplicates,
        long archived,
        long quarantined,
        @JsonProperty("quarantined_files") List<String> quarantinedFiles,
        @JsonProperty("locked_out") boolean lockedOut,
        double seconds) {

    /** One line for logs and job history. */
    public String line() {
        if (lockedOut) {
            return "another load holds the lock: nothing done";
        }
        return String.format("%d files, %d rows, %d inserted, %d duplicates skipped, %d quarantined, %d archived, %.1f s",
                files, rows, inserted, duplicates, quarantined, archived, seconds);
    }

    /** Nothing loaded yet. */
    public static LoadSummary empty() {
        return new LoadSummary(0, 0, 0, 0, 0, 0, List.of(), false, 0);
    }

    /** The totals of this pass and {@code other}. */
    public LoadSummary plus(LoadSummary other) {
        List<String> q = new java.util.ArrayList<>(quarantinedFiles);
        q.addAll(other.quarantinedFiles);
        return new LoadSummary(files + other.files, rows + other.rows, inserted + other.inserted, duplicates + other.duplicates,
                archived + other.archived, quarantined + other.quarantined, List.copyOf(q), false, seconds + other.seconds);
    }

    public double rowsPerSec() {
        return seconds <= 0 ? 0 : rows / seconds;
    }
}
