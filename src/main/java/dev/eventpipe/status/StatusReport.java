package dev.eventpipe.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.eventpipe.warehouse.JobRun;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code eventpipe status} reports; {@code --json} prints this record. A part that could
 * not be read holds its error and leaves its numbers null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusReport(Queue queue, Files files, Warehouse warehouse, Lake lake, List<Job> jobs, Counts counts,
                           @JsonProperty("dead_letters") DeadLetters deadLetters, Generated generated, Health health,
                           Reconciliation reconciliation) {

    /** Whether every part could be read, the counts reconcile and the pipeline is healthy. */
    public boolean ok() {
        return queue.error() == null && files.error() == null && warehouse.error() == null && (lake == null || lake.error() == null)
                && (deadLetters == null || deadLetters.error() == null)
                && reconciliation.ok() && (health == null || health.ok());
    }

    public record Queue(String name, @JsonProperty("dead_letter_name") String deadLetterName, Long visible,
                        @JsonProperty("in_flight") Long inFlight, @JsonProperty("dead_letter_visible") Long deadLetterVisible,
                        @JsonProperty("dead_letter_in_flight") Long deadLetterInFlight, String error) {
    }

    /** Files and bytes of one DFS area; rows counted when cheap enough (pending and quarantined files). */
    public record Area(long files, long bytes, Long rows) {
    }

    public record Files(String location, Area incoming, Area archive, Area quarantine, String error) {
    }

    public record Warehouse(String location, Long rows, @JsonProperty("distinct_ids") Long distinctIds,
                            @JsonProperty("files_loaded") Long filesLoaded, @JsonProperty("rows_loaded") Long rowsLoaded,
                            @JsonProperty("duplicates_skipped") Long duplicatesSkipped,
                            @JsonProperty("duplicates_recorded") Long duplicatesRecorded, @JsonProperty("last_load") String lastLoad,
                            @JsonProperty("newest_arrival") String newestArrival,
                            @JsonProperty("rows_adopted") Long rowsAdopted, String error) {

        /** Rows that came from files: all rows but those of a table eventpipe adopted ({@code eventpipe migrate}). */
        Long rowsFromFiles() {
            return rows == null ? null : rows - (rowsAdopted == null ? 0 : rowsAdopted);
        }
    }

    /**
     * The Parquet lake ({@code eventpipe compact}): its committed files and rows, and per day the
     * warehouse's rows of that day (by {@code timestamp}, UTC) to reconcile against. A day with files
     * still in {@code incoming/} or {@code archive/} is waiting: its lake is not complete yet.
     * {@code problems}: what makes the lake untrustworthy (a Parquet file without a record, a record
     * that cannot be read); {@code notes}: what the next compaction tidies (a generation that never
     * committed).
     */
    public record Lake(long files, long bytes, long rows, List<LakeDay> days, List<String> problems, List<String> notes,
                       String error) {
    }

    /** One day of the lake. {@code warehouse_rows} is null when the warehouse could not be read. */
    public record LakeDay(String day, long files, long rows, @JsonProperty("warehouse_rows") Long warehouseRows, boolean waiting) {
    }

    public record Job(String job, String started, String finished, String status, String detail) {
        static Job of(JobRun r) {
            return new Job(r.job(), String.valueOf(r.started()), r.finished() == null ? null : r.finished().toString(),
                    r.status(), r.detail());
        }
    }

    /**
     * The consumers' counts, summed over every consumer that published them. Written events and
     * files also take in the files a consumer wrote after it last published (it was killed, or is
     * still running), counted from the store: {@code uncounted_files} and {@code uncounted_events}.
     * Received, valid and rejected counts of a killed consumer stop at what it last published (each
     * consumer's numbers agree with each other as published); the rejections that count are in
     * {@link DeadLetters}, read from the records themselves.
     */
    public record Counts(long consumers, @JsonProperty("received_events") long receivedEvents,
                         @JsonProperty("valid_events") long validEvents, Map<String, Long> rejected,
                         @JsonProperty("rejected_total") long rejectedTotal, @JsonProperty("written_events") long writtenEvents,
                         @JsonProperty("files_written") long filesWritten, @JsonProperty("uncounted_files") long uncountedFiles,
                         @JsonProperty("uncounted_events") long uncountedEvents) {
    }

    /**
     * The rejected events, from the consumers' dead-letter records: each counted once however often
     * its message was delivered. {@code rejected} are still rejected; {@code replayed} were replayed
     * from the dead-letter queue and accepted since.
     */
    public record DeadLetters(@JsonProperty("record_files") long recordFiles, long rejected,
                              @JsonProperty("by_reason") Map<String, Long> byReason, long replayed,
                              Map<String, String> samples, String error) {
    }

    /** The generator's summary, when given. */
    public record Generated(long sent, long duplicate, long malformed, long oversize, @JsonProperty("unique_valid") long uniqueValid) {
    }

    /**
     * The share of rejected events among those received in the last {@code window_minutes}, against
     * {@code [status] max_rejected_share}: a pipeline that dead-letters everything is not healthy,
     * however well its counts agree.
     */
    public record Health(boolean ok, @JsonProperty("window_minutes") int windowMinutes, long valid, long rejected, double share,
                         @JsonProperty("max_share") double maxShare, @JsonProperty("top_reasons") List<Reason> topReasons,
                         String line) {
    }

    /** A rejection reason with its count in the window and one detail as an example. */
    public record Reason(String reason, long count, String sample) {
    }

    public record Reconciliation(boolean ok, List<String> checks, List<String> problems) {
    }
}
