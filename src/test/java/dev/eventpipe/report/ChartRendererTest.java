package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartRendererTest {

    final ChartRenderer renderer = new ChartRenderer(400, 200);

    @Test
    void aYearOfDaysHasOneUniqueCategoryPerDayAndStillRenders() {
        ReportWindow w = ReportWindow.of(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 366);
        DailyCounts counts = DailyCounts.of(w.days(), List.of(new DailyCounts.Row(w.today(), "ios", 5),
                new DailyCounts.Row(w.today().minusYears(1), "android", 2)));

        ReportChart chart = renderer.dailyEvents("daily-x", "x", counts);

        assertThat(ReportFixture.categories(chart.chart())).hasSize(366).doesNotHaveDuplicates()
                .startsWith("2025-11-24").endsWith("2026-11-24");
        assertThat(ReportFixture.series(chart.chart())).containsOnlyKeys("android", "ios");
        BufferedImage png = ReportImages.png(renderer.png(chart));
        assertThat(png.getWidth()).isEqualTo(400);
        assertThat(png.getHeight()).isEqualTo(200);
    }

    @Test
    void aDayWithNoRegistrationIsChartedAsZeroConversion() {
        ReportWindow w = ReportWindow.of(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 3);
        DailyConversion funnel = new DailyConversion(w.days(), List.of(4L, 0L, 8L), List.of(1L, 2L, 10L));

        ReportChart chart = renderer.funnel(funnel);

        assertThat(ReportFixture.series(chart.chart())).isEqualTo(Map.of("conversion %", List.of(25.0, 0.0, 125.0)));
        assertThat(funnel.percent(w.days().get(1))).isEmpty();
        ReportImages.svg(renderer.svg(chart));
    }

    @Test
    void theYAxisEndsAtARoundNumberAboveTheData() {
        assertThat(ChartRenderer.niceCeiling(0)).isEqualTo(1.0);
        assertThat(ChartRenderer.niceCeiling(10)).isEqualTo(12.0);
        assertThat(ChartRenderer.niceCeiling(3001)).isEqualTo(4000.0);
        assertThat(ChartRenderer.niceCeiling(0.5)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ChartRenderer.niceCeiling(97)).isEqualTo(120.0);
    }
}
