package dev.eventpipe.lake;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one compaction did.
 *
 * @param days            dates that got a new Parquet file
 * @param files           archived files compacted (and deleted)
 * @param sourceBytes     their size (NDJSON, gzip)
 * @param generations     Parquet files written
 * @param parquetBytes    their size
 * @param rows            rows written
 * @param duplicates      rows left out: an id repeated in the sources or already in the day's lake
 * @param finishing       archived files already in the lake (a compaction stopped before deleting them): only deleted now
 * @param abandoned       records of generations that never committed, removed (their sources were compacted again)
 * @param waitingDays     dates with archived files that are not finished yet, or still have files waiting for a load
 * @param failedDays      dates that failed, each with why (the others were compacted)
 * @param skipped         another compaction held the lock: nothing was done
 */
public record CompactionSummary(int days, long files, @JsonProperty("source_bytes") long sourceBytes, int generations,
                                @JsonProperty("parquet_bytes") long parquetBytes, long rows, long duplicates, long finishing,
                                int abandoned, @JsonProperty("waiting_days") int waitingDays,
                                @JsonProperty("failed_days") List<String> failedDays, boolean skipped, double seconds) {

    public CompactionSummary {
        failedDays = List.copyOf(failedDays);
    }

    static CompactionSummary lockHeld() {
        return new CompactionSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), true, 0);
    }

    /** Rows per second of the run. */
    public double rowsPerSec() {
        return seconds > 0 ? rows / seconds : 0;
    }

    /** One line for logs, the job history and the command's output. */
    public String line() {
        if (skipped) {
            return "another compaction holds the lock; nothing done";
        }
        StringBuilder b = new StringBuilder(String.format("%,d days, %,d files (%.1f MB NDJSON.gz) into %,d Parquet files (%.1f MB), "
                + "%,d rows, %,d duplicates left out", days, files, sourceBytes / 1e6, generations, parquetBytes / 1e6, rows, duplicates));
        if (finishing > 0) {
            b.append(String.format("; %,d files already in the lake deleted", finishing));
        }
        if (abandoned > 0) {
            b.append(String.format("; %,d unfinished generations discarded", abandoned));
        }
        if (waitingDays > 0) {
            b.append(String.format("; %,d days not finished yet", waitingDays));
        }
        if (!failedDays.isEmpty()) {
            b.append(String.format("; %,d days FAILED: %s", failedDays.size(), String.join("; ", failedDays)));
        }
        return b.append(String.format(" in %.1f s", seconds)).toString();
    }
}
