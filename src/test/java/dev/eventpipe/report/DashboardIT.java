package dev.eventpipe.report;

import static dev.eventpipe.report.ReportFixture.HOSTILE;
import static dev.eventpipe.report.ReportFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard page a report run writes. */
class DashboardIT {

    @TempDir
    Path dir;

    Warehouse warehouse;
    ObjectStore store;
    Path out;
    String html;
    int eventCount;

    @BeforeEach
    void runAReportWithAHostileEventName() throws Exception {
        warehouse = ReportFixture.duckDb(dir.resolve("w.duckdb"));
        store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
        warehouse.ensureSchema();
        List<Event> events = new ArrayList<>(ReportFixture.dataset(100, 3));
        events.add(ReportFixture.event("hostile-1", "web-device-1", HOSTILE, NOW.minusSeconds(3600), "web", NOW.minusSeconds(3500)));
        eventCount = events.size();
        ReportFixture.writeFiles(store, events, 60, 1);
        ReportFixture.load(warehouse, store, NOW.minusSeconds(300));
        long load = warehouse.jobStarted("load", NOW.minusSeconds(300));
        warehouse.jobFinished(load, NOW.minusSeconds(299), "ok", "2 files, <b>101</b> rows & more");
        long report = warehouse.jobStarted("report", NOW.minusSeconds(200));
        warehouse.jobFinished(report, NOW.minusSeconds(199), "failed", "could not \"write\"");
        out = dir.resolve("out");
        new Reporter(warehouse, store, ReportFixture.settings(out, 14), List.of("registration_initiated", HOSTILE),
                Clock.fixed(NOW, ZoneOffset.UTC)).run();
        html = Files.readString(out.resolve("index.html"));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    @Test
    void thePageShowsEveryLatestChartAtItsSize() {
        for (String chart : List.of("daily-registration_initiated", "daily-script-alert-x-script", "daily-active-devices",
                "funnel-conversion", "events-per-hour", "freshness")) {
            assertThat(html).contains("<img src=\"" + chart + "-latest.png\" width=\"640\" height=\"320\" alt=\"");
            assertThat(out.resolve(chart + "-latest.png")).exists();
        }
        assertThat(html.split("<img ", -1)).hasSize(6 + 1);
    }

    @Test
    void everyReferenceIsAFileBesideThePageOrInline() {
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            count++;
            if (!ref.startsWith("data:")) {
                assertThat(ref).doesNotContain("/").doesNotContain(":");
                assertThat(out.resolve(ref)).as(ref).exists();
            }
        }
        assertThat(count).isEqualTo(6 * 2 + 1);
        assertThat(html).contains("<link rel=\"icon\" href=\"data:,\">").contains("<meta http-equiv=\"refresh\" content=\"60\">");
    }

    @Test
    void aHostileEventNameIsEscaped() {
        assertThat(html.toLowerCase()).doesNotContain("<script").doesNotContain("<b>");
        assertThat(html).contains("Daily &#39;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#39; events per platform");
    }

    @Test
    void theLastJobRunsAreListedEscaped() {
        assertThat(html).contains("<tr class=\"ok\"><td>load</td><td>2026-11-24 15:37:10 UTC</td><td>2026-11-24 15:37:11 UTC</td>"
                + "<td>ok</td><td>2 files, &lt;b&gt;101&lt;/b&gt; rows &amp; more</td></tr>");
        assertThat(html).contains("<tr class=\"failed\"><td>report</td>").contains("could not &quot;write&quot;");
    }

    @Test
    void theHeadlineNumbersAreShown() {
        assertThat(html).contains("<th scope=\"row\">events total</th><td>" + eventCount + "</td>")
                .contains("<th scope=\"row\">files loaded</th><td>2</td>")
                .contains("<th scope=\"row\">duplicates skipped</th><td>0</td>")
                .contains("<th scope=\"row\">last load</th><td>2026-11-24 15:37:10 UTC</td>");
    }

    @Test
    void theFileStoreHoldsTheSamePage() {
        assertThat(new String(LocalObjectStore.readAll(store, DfsLayout.REPORTS + "index.html"), StandardCharsets.UTF_8)).isEqualTo(html);
    }
}
