package dev.eventpipe.store;

import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things are in the file store (DESIGN.md):
 * <pre>
 * incoming/events/dt=YYYY-MM-DD/&lt;writer&gt;-&lt;seq&gt;.ndjson.gz   written by consume (event date, UTC)
 * archive/events/dt=YYYY-MM-DD/...                             moved here by load after its commit
 * quarantine/events/... (+ .reason.json)                       files load could not read
 * reports/...                                                  charts and dashboard
 * stats/consumers/&lt;writer&gt;.json                                 each consumer's running counts (for status)
 * manifests/load-&lt;uuid&gt;/&lt;n&gt;.manifest                         a Redshift load's COPY manifests, deleted when it ends
 * lake/events/dt=YYYY-MM-DD/part-&lt;generation&gt;.parquet            archived days compacted into Parquet (query it as it is)
 * lake/commits/events/dt=YYYY-MM-DD/&lt;generation&gt;.json           each Parquet file's record: rows, and its sources' writers
 * lake/commits/events/dt=YYYY-MM-DD/&lt;generation&gt;.sources.json   the archived files it was made from, each with its rows
 * </pre>
 */
public final class DfsLayout {

    public static final String INCOMING = "incoming/events/";
    public static final String ARCHIVE = "archive/events/";
    public static final String QUARANTINE = "quarantine/events/";
    public static final String REPORTS = "reports/";
    public static final String SUFFIX = ".ndjson.gz";
    public static final String CONSUMER_STATS = "stats/consumers/";
    /** What each consumer dead-lettered: one line per rejected (or replayed and accepted) event, for counting them once. */
    public static final String DEAD_LETTER_RECORDS = "deadletter/records/";
    /** Rejected bodies too large for a dead-letter message; the message points here. */
    public static final String DEAD_LETTER_BODIES = "deadletter/bodies/";
    public static final String RECORDS_SUFFIX = ".records" + SUFFIX;
    /** Redshift COPY manifests, each deleted right after its COPY. */
    public static final String MANIFESTS = "manifests/";

    /** The lake: Parquet files in Hive partitions {@code dt=YYYY-MM-DD}; a table's location for any engine. */
    public static final String LAKE = "lake/events/";
    public static final String PARQUET_SUFFIX = ".parquet";
    /** Each lake generation's record, written before its Parquet file; outside {@link #LAKE}, so no engine reads it as data. */
    public static final String LAKE_COMMITS = "lake/commits/events/";
    public static final String COMMIT_SUFFIX = ".json";
    public static final String SOURCES_SUFFIX = ".sources.json";

    private static final Pattern PARTITION = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/");

    private DfsLayout() {
    }

    /** The key of a new incoming file: {@code incoming/events/dt=2026-11-24/host-4242-lq3x9-000001.ndjson.gz}. */
    public static String incomingKey(LocalDate date, String writer, long seq) {
        return INCOMING + "dt=" + date + "/" + writer + "-" + String.format("%06d", seq) + SUFFIX;
    }

    /** The key of a new file of dead-letter records: {@code deadletter/records/dt=2026-11-24/host-4242-lq3x9-000001.records.ndjson.gz}. */
    public static String recordsKey(LocalDate date, String writer, long seq) {
        return DEAD_LETTER_RECORDS + "dt=" + date + "/" + writer + "-" + String.format("%06d", seq) + RECORDS_SUFFIX;
    }

    /** Where the body of a rejected event too large for a message is kept, named by its source message and element. */
    public static String deadLetterBodyKey(LocalDate date, String sourceMessageId, String index) {
        return DEAD_LETTER_BODIES + "dt=" + date + "/" + sourceMessageId.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + index.replaceAll("[^A-Za-z0-9._-]", "_") + ".body";
    }

    /** The archive's folder of one event date: {@code archive/events/dt=2026-11-24/}. */
    public static String archivePartition(LocalDate date) {
        return ARCHIVE + "dt=" + date + "/";
    }

    /** The lake's folder of one event date: {@code lake/events/dt=2026-11-24/}. */
    public static String lakePartition(LocalDate date) {
        return LAKE + "dt=" + date + "/";
    }

    /** A Parquet file of the lake: {@code lake/events/dt=2026-11-24/part-20261125T013000123Z-1a2b3c4d.parquet}. */
    public static String lakeKey(LocalDate date, String generation) {
        return lakePartition(date) + "part-" + generation + PARQUET_SUFFIX;
    }

    /** The commits folder of one event date. */
    public static String lakeCommitPartition(LocalDate date) {
        return LAKE_COMMITS + "dt=" + date + "/";
    }

    /** The record of one lake generation: {@code lake/commits/events/dt=2026-11-24/20261125T013000123Z-1a2b3c4d.json}. */
    public static String lakeCommitKey(LocalDate date, String generation) {
        return lakeCommitPartition(date) + generation + COMMIT_SUFFIX;
    }

    /** The list of source files of one lake generation, beside its record. */
    public static String lakeSourcesKey(LocalDate date, String generation) {
        return lakeCommitPartition(date) + generation + SOURCES_SUFFIX;
    }

    /** Whether a key under {@link #LAKE_COMMITS} is a generation's record (not its list of sources). */
    public static boolean isLakeCommit(String key) {
        return key.endsWith(COMMIT_SUFFIX) && !key.endsWith(SOURCES_SUFFIX);
    }

    /** The same file's key once archived. */
    public static String archiveKey(String incomingKey) {
        return ARCHIVE + relative(incomingKey);
    }

    /** The same file's key in quarantine. */
    public static String quarantineKey(String incomingKey) {
        return QUARANTINE + relative(incomingKey);
    }

    /** The key of the reason file beside a quarantined file. */
    public static String reasonKey(String quarantineKey) {
        return quarantineKey + ".reason.json";
    }

    /** Where a consumer publishes its counts. */
    public static String consumerStatsKey(String writer) {
        return CONSUMER_STATS + writer + ".json";
    }

    /** The writer and sequence number in a data file's name ({@code <writer>-<seq>.ndjson.gz}), in any area. */
    public record FileName(String writer, long seq) {
    }

    private static final Pattern FILE_NAME = Pattern.compile("([^/]+)-(\\d{1,18})" + Pattern.quote(SUFFIX) + "$");

    /** The writer and sequence number of a data file's key; empty for a name this layout does not make. */
    public static Optional<FileName> fileName(String key) {
        Matcher m = FILE_NAME.matcher(key);
        return m.find() ? Optional.of(new FileName(m.group(1), Long.parseLong(m.group(2)))) : Optional.empty();
    }

    /** The incoming key a file had, from its key in any area. */
    public static String incomingKeyOf(String key) {
        for (String area : new String[] {INCOMING, ARCHIVE, QUARANTINE}) {
            if (key.startsWith(area)) {
                return INCOMING + key.substring(area.length());
            }
        }
        throw new IllegalArgumentException("not a data file key: " + key);
    }

    /** The event date of a key with a {@code dt=} partition. */
    public static Optional<LocalDate> partition(String key) {
        Matcher m = PARTITION.matcher(key);
        return m.find() ? Optional.of(LocalDate.parse(m.group(1))) : Optional.empty();
    }

    private static String relative(String incomingKey) {
        if (!incomingKey.startsWith(INCOMING)) {
            throw new IllegalArgumentException("not an incoming key: " + incomingKey);
        }
        return incomingKey.substring(INCOMING.length());
    }
}
