package dev.eventpipe.report;

import org.knowm.xchart.CategoryChart;

/**
 * One chart of the report.
 *
 * @param name  the file-name stem ({@code daily-active-devices}): files are {@code <name>-latest.png} and so on
 * @param title what it shows, for people (the dashboard's alt text and caption)
 * @param chart the XChart chart, data included
 */
record ReportChart(String name, String title, CategoryChart chart) {
}
