package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.JobRun;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardTest {

    @Test
    void escapingCoversTextAndQuotedAttributes() {
        assertThat(Dashboard.esc("<a href=\"x\" onclick='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(Dashboard.esc(null)).isEmpty();
    }

    @Test
    void aRunningJobHasNoFinishTimeYetAndAnUnknownStatusGetsNoClassOfItsOwn() {
        ReportWindow w = ReportWindow.of(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 2);
        DailyCounts none = DailyCounts.of(w.days(), List.of());
        ReportData data = new ReportData(w, Map.of(), none, new DailyConversion(w.days(), List.of(0L, 0L), List.of(0L, 0L)),
                HourlyCounts.of(w.hours(), Map.of()), HourlyCounts.of(w.hours(), Map.of()),
                new Headline(0, 0, 0, null, null, 0, 0, 0, null, null),
                List.of(new JobRun(1, "report", Instant.parse("2026-11-24T09:59:00Z"), null, "running", null),
                        new JobRun(2, "load", Instant.parse("2026-11-24T09:00:00Z"), null, "\"><x", "d")));

        String html = new Dashboard(900, 450).html(data, List.of());

        assertThat(html).contains("<tr class=\"running\"><td>report</td><td>2026-11-24 09:59:00 UTC</td><td>-</td><td>running</td><td></td></tr>")
                .contains("<tr class=\"unknown\"><td>load</td>").contains("<td>&quot;&gt;&lt;x</td>")
                .doesNotContain("<img");
    }
}
