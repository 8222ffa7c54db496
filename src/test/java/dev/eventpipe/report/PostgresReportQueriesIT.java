package dev.eventpipe.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.DriverManager;

/** The report's queries against PostgreSQL; runs where EVENTPIPE_TEST_POSTGRES_URL is set (CI). */
class PostgresReportQueriesIT extends ReportQueriesContract {

    private String url;

    @Override
    Warehouse newWarehouse(Path dir) throws Exception {
        assumeTrue(PostgresDb.url() != null, PostgresDb.URL_VARIABLE + " is not set");
        url = PostgresDb.freshSchema();
        String schemaUrl = url;
        return new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(schemaUrl), "postgres");
    }

    @Override
    void cleanUp() throws Exception {
        if (url != null) {
            PostgresDb.drop(url);
        }
    }
}
