package dev.eventpipe.report;


import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
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
        Prerequisite.postgres();
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
