package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class DuckDbMigrationIT extends MigrationContract {

    @TempDir
    Path dir;

    @Override
    Dialect dialect() {
        return new DuckDbDialect(dir.resolve("w.duckdb"));
    }

    @Override
    Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
    }

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }

    /** DuckDB has no TO_CHAR: strftime is its closest equivalent; the rest is the prototype's text. */
    @Override
    String prototypeChartQuery() {
        return "SELECT strftime(DATE_TRUNC('day', timestamp), '%Y-%m-%d') AS date, context_device_type, COUNT(*) AS cnt "
                + "FROM events WHERE event = ? GROUP BY DATE_TRUNC('day', timestamp), context_device_type";
    }

    /** DuckDB keeps no width on VARCHAR, and eventpipe keeps no key on it (its loads dedupe). */
    @Override
    void assertPrototypeSpecifics(List<TableDifference> differences) {
        assertThat(differences).noneMatch(d -> d.kind() == TableDifference.Kind.NARROW_COLUMN || d.kind() == TableDifference.Kind.NO_PRIMARY_KEY);
    }
}
