package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Runs where EVENTPIPE_TEST_POSTGRES_URL is set; each test in a schema of its own. */
class PostgresMigrationIT extends MigrationContract {

    @TempDir
    Path dir;

    private String url;

    @Override
    Dialect dialect() {
        return new PostgresDialect();
    }

    @Override
    Connection open() throws SQLException {
        if (url == null) {
            Prerequisite.postgres();
            url = PostgresDb.freshSchema();
        }
        return DriverManager.getConnection(url);
    }

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }

    /** The prototype's query as its chart job sent it through psycopg2, {@code %s} bound as JDBC's {@code ?}. */
    @Override
    String prototypeChartQuery() {
        return "SELECT TO_CHAR(DATE_TRUNC('day', timestamp), 'YYYY-MM-DD') AS date, context_device_type, COUNT(*) AS cnt "
                + "FROM events WHERE event = ? GROUP BY DATE_TRUNC('day', timestamp), context_device_type";
    }

    @Override
    void assertPrototypeSpecifics(List<TableDifference> differences) {
        List<String> lines = differences.stream().map(TableDifference::line).toList();
        assertThat(lines).contains("narrow column id: character varying(36), eventpipe's is varchar(128)",
                "narrow column context_timezone: character varying(16), eventpipe's is varchar(64)",
                "narrow column event_text: character varying(64), eventpipe's is varchar(1024)",
                "user_id is integer: eventpipe stores it as text (varchar(128))",
                "no primary key on id: eventpipe's loads rely on it to skip ids already stored");
        assertThat(differences).filteredOn(d -> d.kind() == TableDifference.Kind.NARROW_COLUMN).hasSize(15);
    }

    @Override
    void assertLoadedAtIndexed() throws SQLException {
        try (Connection c = open()) {
            PostgresWarehouseIT.assertLoadedAtIndexed(c);
        }
    }

    @Override
    void cleanUp() throws Exception {
        if (url != null) {
            PostgresDb.drop(url);
        }
    }
}
