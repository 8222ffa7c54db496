package dev.eventpipe.report;

import static dev.eventpipe.report.ReportFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report of a warehouse with its tables and nothing in them. */
class EmptyWarehouseIT {

    @TempDir
    Path dir;

    Warehouse warehouse;
    Reporter reporter;
    Path out;

    @BeforeEach
    void createTheSchemaOnly() {
        warehouse = ReportFixture.duckDb(dir.resolve("w.duckdb"));
        warehouse.ensureSchema();
        ObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        out = dir.resolve("out");
        reporter = new Reporter(warehouse, store, ReportFixture.settings(out, 14),
                List.of("registration_initiated", "submission_success"), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    @Test
    void everyChartIsRenderedWithZeroBarsAndThePageSaysSo() throws Exception {
        ReportSummary summary = reporter.run();

        assertThat(summary.charts()).isEqualTo(6);
        for (String chart : ReportFilesIT.CHARTS) {
            assertThat(ReportImages.png(Files.readAllBytes(out.resolve(chart + "-latest.png"))).getWidth()).isEqualTo(640);
            ReportImages.svg(Files.readAllBytes(out.resolve(chart + "-latest.svg")));
        }
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<th scope=\"row\">events total</th><td>0</td>")
                .contains("<td>n/a</td>")
                .contains("<th scope=\"row\">last load</th><td>none</td>")
                .contains("No job run recorded yet.");
    }

    @Test
    void dailyChartsHaveEveryDayAtZero() {
        ReportData data = reporter.collect();
        for (ReportChart chart : reporter.charts(data)) {
            Map<String, List<Double>> series = ReportFixture.series(chart.chart());
            assertThat(series).as(chart.name()).isNotEmpty();
            assertThat(series.values()).allSatisfy(v -> assertThat(v).isNotEmpty().containsOnly(0.0));
        }
        assertThat(ReportFixture.series(reporter.charts(data).get(0).chart())).containsOnlyKeys(ChartRenderer.NO_DATA);
        assertThat(data.headline().freshnessLag()).isNull();
        assertThat(data.headline().conversionToday()).isNull();
    }
}
