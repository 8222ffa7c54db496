package dev.eventpipe.report;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Turns report data into XChart bar charts and encodes them as PNG and SVG (headless). Every chart
 * has at least one series, every day or hour of the window as a category, and a y axis from 0, so an
 * empty warehouse still gives a valid chart (a "no data" series of zeros).
 */
final class ChartRenderer {

    static final String NO_DATA = "no data";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);
    /** Beyond a year a month and day repeat, and a category label must be unique. */
    private static final DateTimeFormatter LONG_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** About the width of one day label ("11-24") with its gap. */
    private static final int LABEL_PIXELS = 48;
    private static final double[] NICE = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};

    private final int width;
    private final int height;

    ChartRenderer(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** Every chart of a report, in dashboard order: the report events', then the fixed ones. */
    List<ReportChart> charts(ReportData data, Map<String, String> eventChartNames) {
        List<ReportChart> charts = new ArrayList<>();
        data.perEvent().forEach((event, counts) -> charts.add(dailyEvents(eventChartNames.get(event), event, counts)));
        charts.add(activeDevices(data.activeDevices()));
        charts.add(funnel(data.funnel()));
        charts.add(eventsPerHour(data.eventsPerHour()));
        charts.add(freshness(data.rowsLoadedPerHour(), data.headline()));
        return charts;
    }

    ReportChart dailyEvents(String name, String event, DailyCounts counts) {
        String title = "Daily '" + event + "' events per platform";
        return new ReportChart(name, title, daily(title, "events", counts));
    }

    ReportChart activeDevices(DailyCounts counts) {
        String title = "Daily active devices per platform";
        return new ReportChart(ChartNames.ACTIVE_DEVICES, title, daily(title, "distinct devices", counts));
    }

    ReportChart funnel(DailyConversion funnel) {
        String title = "Daily conversion " + KpiQueries.FUNNEL_FROM + " -> " + KpiQueries.FUNNEL_TO;
        CategoryChart chart = chart(title, "day (UTC); 0 on a day with no registration", "% converted");
        List<Double> percent = funnel.percentOrZero();
        chart.addSeries("conversion %", dayLabels(funnel.days()), percent);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#0.#");
        finish(chart, funnel.days().size(), percent.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        return new ReportChart(ChartNames.FUNNEL, title, chart);
    }

    ReportChart eventsPerHour(HourlyCounts counts) {
        String title = "Events per hour, last " + counts.hours().size() + " hours";
        return new ReportChart(ChartNames.EVENTS_PER_HOUR, title, hourly(title, "events", "events", counts));
    }

    ReportChart freshness(HourlyCounts rowsLoaded, Headline headline) {
        String title = "Rows loaded per hour, lag " + Formats.duration(headline.freshnessLag());
        CategoryChart chart = hourly(title, "rows in files loaded", "rows loaded", rowsLoaded);
        chart.setXAxisTitle("load hour (UTC); last load " + Formats.time(headline.lastLoad()));
        return new ReportChart(ChartNames.FRESHNESS, title + ", last load " + Formats.time(headline.lastLoad()), chart);
    }

    private CategoryChart daily(String title, String yTitle, DailyCounts counts) {
        CategoryChart chart = chart(title, "day (UTC)", yTitle);
        List<String> labels = dayLabels(counts.days());
        long max = 0;
        for (Map.Entry<String, List<Long>> s : counts.series().entrySet()) {
            chart.addSeries(s.getKey(), labels, s.getValue());
            max = Math.max(max, s.getValue().stream().mapToLong(Long::longValue).max().orElse(0));
        }
        if (counts.series().isEmpty()) {
            chart.addSeries(NO_DATA, labels, Collections.nCopies(labels.size(), 0L));
        }
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        finish(chart, labels.size(), max);
        return chart;
    }

    private CategoryChart hourly(String title, String yTitle, String series, HourlyCounts counts) {
        CategoryChart chart = chart(title, "hour (UTC)", yTitle);
        List<String> labels = counts.hours().stream().map(HOUR::format).toList();
        chart.addSeries(series, labels, counts.counts());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisMaxLabelCount(8);
        finish(chart, labels.size(), counts.counts().stream().mapToLong(Long::longValue).max().orElse(0));
        return chart;
    }

    private CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        CategoryStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridVerticalLinesVisible(false);
        s.setAvailableSpaceFill(0.8);
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return chart;
    }

    /**
     * A y axis from 0 to a round number above the data; slanted x labels when
     * they would not fit side by side, and fewer of them when there are many.
     */
    private void finish(CategoryChart chart, int categories, double max) {
        CategoryStyler s = chart.getStyler();
        s.setYAxisMin(0.0);
        s.setYAxisMax(niceCeiling(max));
        if (categories * LABEL_PIXELS > width * 0.75) {
            s.setXAxisLabelRotation(45);
        }
        if (categories > 31 && s.getXAxisMaxLabelCount() == 0) {
            s.setXAxisMaxLabelCount(16);
        }
    }

    /**
     * A round top for the y axis a little above {@code max} (1 for an empty chart): with a bound the
     * data reaches, XChart would label only 0 and the maximum.
     */
    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double target = max * 1.05;
        double scale = Math.pow(10, Math.floor(Math.log10(target)));
        for (double step : NICE) {
            if (step * scale >= target) {
                return step * scale;
            }
        }
        return 10 * scale;
    }

    private static List<String> dayLabels(List<LocalDate> days) {
        DateTimeFormatter f = days.size() > 365 ? LONG_DAY : DAY;
        return days.stream().map(f::format).toList();
    }

    /** The chart as a PNG of the configured size. */
    byte[] png(ReportChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart.chart(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.name() + "' as PNG", e);
        }
    }

    /** The chart as an SVG document of the configured size. */
    byte[] svg(ReportChart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            VectorGraphicsEncoder.saveVectorGraphic(chart.chart(), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.name() + "' as SVG", e);
        }
    }
}
