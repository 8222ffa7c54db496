package dev.eventpipe.report;

import dev.eventpipe.warehouse.JobRun;
import java.util.List;

/**
 * The dashboard page, {@code index.html}: headline numbers, the latest charts and the last job runs.
 * Self-contained (inline CSS and favicon, no script, no other resource than the charts' PNG files
 * beside it), every value HTML-escaped, and it reloads itself every minute.
 */
final class Dashboard {

    static final int REFRESH_SECONDS = 60;

    private final int width;
    private final int height;

    Dashboard(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** The page for {@code data}, showing {@code charts} by their {@code -latest.png} files. */
    String html(ReportData data, List<ReportChart> charts) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // An inline favicon: without one the browser asks for /favicon.ico, which does not exist.
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>eventpipe dashboard</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>eventpipe dashboard</h1>\n<p class=\"meta\">Generated ").append(esc(Formats.time(data.window().now())))
                .append("; daily charts cover ").append(data.window().days().size()).append(" days to ")
                .append(esc(data.window().today().toString())).append(" (UTC). Reloads every ").append(REFRESH_SECONDS)
                .append(" s.</p>\n");
        headline(h, data.headline());
        h.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
        for (ReportChart c : charts) {
            String png = ReportFiles.latest(c.name(), "png");
            String svg = ReportFiles.latest(c.name(), "svg");
            h.append("<figure><img src=\"").append(esc(png)).append("\" width=\"").append(width).append("\" height=\"")
                    .append(height).append("\" alt=\"").append(esc(c.title())).append("\">")
                    .append("<figcaption>").append(esc(c.title())).append(" (<a href=\"").append(esc(svg))
                    .append("\">SVG</a>)</figcaption></figure>\n");
        }
        h.append("</div>\n");
        jobRuns(h, data.jobRuns());
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void headline(StringBuilder h, Headline n) {
        h.append("<h2>Headline numbers</h2>\n<table class=\"numbers\">\n");
        row(h, "events total", Formats.count(n.eventsTotal()));
        row(h, "events today", Formats.count(n.eventsToday()));
        row(h, "active devices today", Formats.count(n.activeDevicesToday()));
        row(h, "conversion today (" + KpiQueries.FUNNEL_FROM + " -> " + KpiQueries.FUNNEL_TO + ")", Formats.percent(n.conversionToday()));
        row(h, "freshness lag (now - newest arrival)", Formats.duration(n.freshnessLag()));
        row(h, "newest arrival (queued, else consumed, else loaded)", Formats.time(n.newestArrival()));
        row(h, "rows loaded (in loaded files)", Formats.count(n.rowsLoaded()));
        row(h, "files loaded", Formats.count(n.filesLoaded()));
        row(h, "duplicates skipped", Formats.count(n.duplicatesSkipped()));
        row(h, "last load", Formats.time(n.lastLoad()));
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><th scope=\"row\">").append(esc(label)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static void jobRuns(StringBuilder h, List<JobRun> runs) {
        h.append("<h2>Last job runs</h2>\n");
        if (runs.isEmpty()) {
            h.append("<p>No job run recorded yet.</p>\n");
            return;
        }
        h.append("<table class=\"runs\">\n<tr><th>job</th><th>started</th><th>finished</th><th>status</th><th>detail</th></tr>\n");
        for (JobRun r : runs) {
            h.append("<tr class=\"").append(esc(cssClass(r.status()))).append("\"><td>").append(esc(r.job()))
                    .append("</td><td>").append(esc(Formats.time(r.started())))
                    .append("</td><td>").append(esc(r.finished() == null ? "-" : Formats.time(r.finished())))
                    .append("</td><td>").append(esc(r.status()))
                    .append("</td><td>").append(esc(r.detail() == null ? "" : r.detail())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String cssClass(String status) {
        return status == null ? "unknown" : switch (status) {
            case "ok", "failed", "running", "skipped" -> status;
            default -> "unknown";
        };
    }

    /** Escapes text for HTML content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; }
            h2 { font-size: 1.15em; margin-top: 1.5em; }
            .meta { color: #666; margin-top: 0; }
            table { border-collapse: collapse; background: #fff; }
            th, td { border: 1px solid #ddd; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
            .numbers td { text-align: right; font-variant-numeric: tabular-nums; }
            .runs td:last-child { max-width: 40em; overflow-wrap: anywhere; }
            tr.failed td { background: #fde8e8; }
            tr.running td { background: #fff8e1; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0; background: #fff; border: 1px solid #ddd; padding: 0.5em; max-width: 100%; }
            figure img { display: block; max-width: 100%; height: auto; }
            figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
            """;
}
