package dev.eventpipe.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.Dialect;
import java.net.ConnectException;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each dialect decides, at the point of failure, which of its engine's errors pass on a later try. */
class RetriableErrorsTest {

    private final Dialect duckDb = new DuckDbDialect(Path.of("w.duckdb"));
    private final Dialect postgres = new PostgresDialect();
    private final Dialect redshift = new RedshiftDialect("arn:aws:iam::1:role/r");

    @ParameterizedTest
    @ValueSource(strings = {
            "IO Error: Could not set lock on file \"/data/w.duckdb\": Conflicting lock is held in /usr/bin/java (PID 21530)",
            "TransactionContext Error: Conflict on update!",
            "TransactionContext Error: Catalog write-write conflict on alter with \"events\""})
    void duckDbLockAndTransactionConflictsAreRetriable(String message) {
        assertThat(duckDb.isRetriable(new SQLException(message))).isTrue();
        assertThat(duckDb.isRetriable(new SQLException("wrapped", new SQLException(message)))).as("in the cause chain").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Parser Error: syntax error at or near \"SELEC\"",
            "Catalog Error: Table with name events does not exist!",
            "Invalid Input Error: Malformed JSON in file \"x.ndjson.gz\"",
            "Constraint Error: NOT NULL constraint failed: events.source_file",
            "IO Error: Cannot open file \"/root/w.duckdb\": Permission denied"})
    void duckDbSyntaxCatalogDataAndPermissionErrorsAreFatal(String message) {
        assertThat(duckDb.isRetriable(new SQLException(message))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "08001, connection refused",
            "08006, connection lost",
            "08003, connection does not exist",
            "40001, could not serialize access due to concurrent update",
            "40P01, deadlock detected",
            "57P01, terminating connection due to administrator command",
            "57P03, the database system is starting up",
            "53300, too many connections for role"})
    void postgresConnectionSerializationAndShutdownErrorsAreRetriable(String state, String message) {
        assertThat(postgres.isRetriable(new SQLException(message, state))).isTrue();
        assertThat(redshift.isRetriable(new SQLException(message, state))).as("Redshift shares the states").isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "42601, syntax error at or near \"SELEC\"",
            "42501, permission denied for table events",
            "42P01, relation \"events\" does not exist",
            "28P01, password authentication failed for user \"bob\"",
            "23505, duplicate key value violates unique constraint \"events_pkey\"",
            "22007, invalid input syntax for type timestamp",
            "57014, canceling statement due to statement timeout"})
    void postgresSyntaxPermissionAuthenticationAndDataErrorsAreFatal(String state, String message) {
        assertThat(postgres.isRetriable(new SQLException(message, state))).isFalse();
        assertThat(redshift.isRetriable(new SQLException(message, state))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aRetriableStateAnywhereInTheChainCounts() {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006", new ConnectException("refused"));
        assertThat(postgres.isRetriable(new SQLException("could not load", null, lost))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "", 0, new int[0], null);
        batch.setNextException(new SQLException("deadlock detected", "40P01"));
        assertThat(postgres.isRetriable(batch)).as("a batch's real error hangs on getNextException").isTrue();
    }

    @org.junit.jupiter.api.Test
    void aRedshiftSerializableIsolationViolationIsRetriable() {
        assertThat(redshift.isRetriable(new SQLException(
                "ERROR: 1023 DETAIL: Serializable isolation violation on table - 100234, transactions forming the cycle are: 1, 2", "XX000")))
                .isTrue();
        assertThat(postgres.isRetriable(new SQLException("Serializable isolation violation", "XX000"))).isFalse();
    }
}
