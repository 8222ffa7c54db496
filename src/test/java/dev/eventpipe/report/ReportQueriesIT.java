package dev.eventpipe.report;

import dev.eventpipe.warehouse.Warehouse;
import java.nio.file.Path;

/** The report's queries against a DuckDB file warehouse. */
class ReportQueriesIT extends ReportQueriesContract {

    @Override
    Warehouse newWarehouse(Path dir) {
        return ReportFixture.duckDb(dir.resolve("w.duckdb"));
    }
}
