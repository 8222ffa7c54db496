package dev.eventpipe.warehouse;

import dev.eventpipe.store.ObjectStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to the warehouse: table {@code events} (one row per event id), the load ledger
 * {@code eventpipe_loaded_files} and the job history {@code eventpipe_job_runs}. Implementations
 * open a connection per call, so a file-based engine (DuckDB) is free between calls. Thread-safe.
 */
public interface Warehouse extends AutoCloseable {

    /** What and where, for logs ("duckdb data/warehouse.duckdb"); no secrets. */
    String describe();

    /**
     * Creates the tables when missing and migrates an older eventpipe schema, in one transaction;
     * running it again changes nothing. An {@code events} table eventpipe did not create is left
     * alone: that takes {@link #migrate}.
     *
     * @return one line per step taken ("schema version 2 created", "schema version 2 unchanged")
     * @throws ForeignEventsTableException when {@code events} exists and no schema version is recorded
     *     (the original prototype's table): it names each difference; nothing is changed
     * @throws WarehouseException when the warehouse cannot be reached or the DDL fails (nothing is changed)
     */
    List<String> ensureSchema();

    /**
     * Brings the warehouse to this eventpipe's schema in one transaction, keeping every row: creates
     * it when empty, migrates an older eventpipe schema, or adopts an {@code events} table eventpipe
     * did not create (the original prototype's): missing columns added, narrow ones widened, a
     * numeric {@code user_id} turned into text, NOT NULL dropped where eventpipe has none, the primary
     * key on {@code id}, and the rows recorded in the ledger as {@value Schema#ADOPTED_SOURCE}.
     * A dry run works everything out and changes nothing.
     *
     * @throws DuplicateIdsException when the table to adopt holds an id more than once and
     *     {@code options} does not move the extra rows aside (nothing is changed)
     * @throws ForeignEventsTableException when the table to adopt differs in a way no migration can
     *     fix keeping every value (nothing is changed)
     * @throws WarehouseException when the warehouse fails (nothing is changed)
     */
    MigrationResult migrate(MigrationOptions options);

    /**
     * Takes the load lock for one load pass, so two passes never load a file twice; empty when
     * another pass holds it. Close the lock when the pass ends.
     *
     * @throws WarehouseException when the warehouse cannot be reached
     */
    Optional<LoadLock> tryLoadLock();

    /**
     * Which of {@code fileKeys} are already in the load ledger, each with the rows read from it.
     *
     * @throws WarehouseException when the warehouse cannot be reached
     */
    Map<String, Long> loadedFiles(Collection<String> fileKeys);

    /**
     * Loads the events of {@code fileKeys} in one transaction: rows whose id is already in
     * {@code events} (or earlier in the batch) are skipped, and each file is recorded in the ledger
     * with its rows and duplicates. Files found in the ledger inside the transaction (another load
     * got there first) are left out. Nothing is moved: the caller archives the files after this returns.
     *
     * @throws UnreadableFileException when one of the files cannot be read (nothing is committed;
     *     the caller quarantines that file and tries the others again)
     * @throws WarehouseException when the load fails otherwise (nothing is committed)
     */
    BatchLoad load(List<String> fileKeys, ObjectStore store, Instant loadedAt);

    /**
     * Records the start of a job run; returns its id for {@link #jobFinished}.
     *
     * @throws WarehouseException when the warehouse cannot be reached
     */
    long jobStarted(String job, Instant started);

    /** Records how a job run ended: status {@code ok} or {@code failed}, and a one-line detail. */
    void jobFinished(long runId, Instant finished, String status, String detail);

    /** The latest {@code perJob} runs of each job, newest first. */
    List<JobRun> lastJobRuns(int perJob);

    /**
     * Runs a read-only query with bound parameters (never concatenated values).
     *
     * @throws WarehouseException when it fails
     */
    <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper);

    /** Table sizes and the ledger's totals, for status and reports. */
    WarehouseStats stats();

    @Override
    void close();

    /** Maps one result row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(java.sql.ResultSet row) throws java.sql.SQLException;
    }

    /** The load lock of one pass; closing it releases it. */
    interface LoadLock extends AutoCloseable {
        @Override
        void close();
    }
}
