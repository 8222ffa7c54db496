package dev.eventpipe.cli;

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
record PipelineStatus(Queue queue, Files files, Warehouse warehouse, List<Job> jobs, Counts counts,
                      Generated generated, Reconciliation reconciliation) {

    record Queue(String name, @JsonProperty("dead_letter_name") String deadLetterName, Long visible,
                 @JsonProperty("in_flight") Long inFlight, @JsonProperty("dead_letter_visible") Long deadLetterVisible,
                 @JsonProperty("dead_letter_in_flight") Long deadLetterInFlight, String error) {
    }

    /** Files and bytes of one DFS area; rows counted when cheap enough (pending and quarantined files). */
    record Area(long files, long bytes, Long rows) {
    }

    record Files(String location, Area incoming, Area archive, Area quarantine, String error) {
    }

    record Warehouse(String location, Long rows, @JsonProperty("distinct_ids") Long distinctIds,
                     @JsonProperty("files_loaded") Long filesLoaded, @JsonProperty("rows_loaded") Long rowsLoaded,
                     @JsonProperty("duplicates_skipped") Long duplicatesSkipped,
                     @JsonProperty("duplicates_recorded") Long duplicatesRecorded, @JsonProperty("last_load") String lastLoad,
                     @JsonProperty("latest_received_at") String latestReceivedAt, String error) {
    }

    record Job(String job, String started, String finished, String status, String detail) {
        static Job of(JobRun r) {
            return new Job(r.job(), String.valueOf(r.started()), r.finished() == null ? null : r.finished().toString(),
                    r.status(), r.detail());
        }
    }

    /**
     * The consumers' counts, summed over every consumer that published them. Written events and
     * files also take in the files a consumer wrote after it last published (it was killed, or is
     * still running), counted from the store: {@code uncounted_files} and {@code uncounted_events}.
     * Received, valid and rejected counts of a killed consumer stop at what it last published.
     */
    record Counts(long consumers, @JsonProperty("received_events") long receivedEvents,
                  @JsonProperty("valid_events") long validEvents, Map<String, Long> rejected,
                  @JsonProperty("rejected_total") long rejectedTotal, @JsonProperty("written_events") long writtenEvents,
                  @JsonProperty("files_written") long filesWritten, @JsonProperty("uncounted_files") long uncountedFiles,
                  @JsonProperty("uncounted_events") long uncountedEvents) {
    }

    /** The generator's summary, when given. */
    record Generated(long sent, long duplicate, long malformed, long oversize, @JsonProperty("unique_valid") long uniqueValid) {
    }

    record Reconciliation(boolean ok, List<String> checks, List<String> problems) {
    }
}
