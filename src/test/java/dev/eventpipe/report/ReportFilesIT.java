package dev.eventpipe.report;

import static dev.eventpipe.report.ReportFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.testkit.StoreContents;
import dev.eventpipe.warehouse.Warehouse;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** What a report run leaves on disk and in the file store. */
class ReportFilesIT {

    static final List<String> CHARTS = List.of("daily-registration_initiated", "daily-submission_success",
            "daily-active-devices", "funnel-conversion", "events-per-hour", "freshness");

    @TempDir
    Path dir;

    Warehouse warehouse;
    ObjectStore store;
    Path out;
    MutableClock clock;
    Reporter reporter;

    @BeforeEach
    void loadSomeEvents() {
        warehouse = ReportFixture.duckDb(dir.resolve("w.duckdb"));
        store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
        warehouse.ensureSchema();
        ReportFixture.writeFiles(store, ReportFixture.dataset(200, 11), 100, 1);
        ReportFixture.load(warehouse, store, NOW.minusSeconds(600));
        out = dir.resolve("site/reports");
        clock = new MutableClock(NOW);
        reporter = new Reporter(warehouse, store, ReportFixture.settings(out, 14),
                List.of("registration_initiated", "submission_success"), clock);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    List<String> localFiles() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyChartIsAPngOfTheConfiguredSizeAndAWellFormedSvg() throws IOException {
        ReportSummary summary = reporter.run();

        assertThat(summary.charts()).isEqualTo(CHARTS.size());
        assertThat(summary.files()).isEqualTo(CHARTS.size() * 4 + 1);
        assertThat(summary.dashboard()).isEqualTo(out.toAbsolutePath().resolve("index.html").toString());
        assertThat(summary.line()).startsWith("6 charts, 25 files, 0 old files removed, ");
        assertThat(localFiles()).hasSize(summary.files());
        for (String name : localFiles()) {
            byte[] data = Files.readAllBytes(out.resolve(name));
            if (name.endsWith(".png")) {
                BufferedImage image = ReportImages.png(data);
                assertThat(image.getWidth()).as(name).isEqualTo(640);
                assertThat(image.getHeight()).as(name).isEqualTo(320);
            } else if (name.endsWith(".svg")) {
                Document svg = ReportImages.svg(data);
                assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
                assertThat(svg.getDocumentElement().getAttribute("width")).startsWith("640");
                assertThat(svg.getDocumentElement().getAttribute("height")).startsWith("320");
            } else {
                assertThat(name).isEqualTo("index.html");
            }
        }
    }

    @Test
    void latestFilesEqualTheNewestTimestampedOnesAndOldOnesStay() throws IOException {
        reporter.run();
        clock.advance(Duration.ofMinutes(61).plusSeconds(5));
        reporter.run();

        for (String chart : CHARTS) {
            for (String format : List.of("png", "svg")) {
                Path older = out.resolve(chart + "-20261124-154210." + format);
                Path newer = out.resolve(chart + "-20261124-164315." + format);
                Path latest = out.resolve(chart + "-latest." + format);
                assertThat(older).as("older %s", format).exists();
                assertThat(latest).hasSameBinaryContentAs(newer);
            }
        }
        // The freshness title carries the lag, so that chart changed between the runs.
        assertThat(Files.readAllBytes(out.resolve("freshness-latest.png")))
                .isNotEqualTo(Files.readAllBytes(out.resolve("freshness-20261124-154210.png")));
        assertThat(localFiles()).hasSize(CHARTS.size() * 6 + 1).noneMatch(n -> n.startsWith("."));
    }

    @Test
    void theFileStoreHoldsTheSameFilesUnderReports() throws IOException {
        reporter.run();
        clock.advance(Duration.ofHours(1));
        reporter.run();

        List<String> keys = StoreContents.keys(store, DfsLayout.REPORTS);
        assertThat(keys).containsExactlyElementsOf(localFiles().stream().map(n -> DfsLayout.REPORTS + n).toList());
        for (String name : localFiles()) {
            assertThat(LocalObjectStore.readAll(store, DfsLayout.REPORTS + name)).as(name)
                    .isEqualTo(Files.readAllBytes(out.resolve(name)));
        }
    }
}
