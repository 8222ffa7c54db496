package dev.eventpipe.serve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the page starts from ({@code /api/config}).
 *
 * @param reportEvents  the events its first chart shows until the person picks others ({@code [events] report_events})
 * @param days          the days a range covers by default ({@code [report] days})
 * @param refresh       how often an open page asks whether a load brought new rows
 * @param staticReport  whether the static report ({@code eventpipe report}'s PNG/SVG files) is served under {@code /report/}
 * @param warehouse     the engine's name, as the page shows it
 */
public record PageConfig(List<String> reportEvents, int days, Duration refresh, boolean staticReport, String warehouse) {

    public PageConfig {
        reportEvents = List.copyOf(reportEvents);
    }

    Map<String, Object> toMap(ApiLimits limits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report_events", reportEvents);
        m.put("days", days);
        m.put("refresh_seconds", refresh.toSeconds());
        m.put("static_report", staticReport ? "/report/" : null);
        m.put("warehouse", warehouse);
        Map<String, Object> max = new LinkedHashMap<>();
        for (Granularity g : Granularity.values()) {
            max.put(g.unit(), g.maxDays());
        }
        m.put("max_days", max);
        m.put("max_events", limits.maxEvents());
        m.put("max_steps", limits.maxSteps());
        m.put("min_window_seconds", QueryParams.MIN_WINDOW_SECONDS);
        m.put("max_window_seconds", QueryParams.MAX_WINDOW_SECONDS);
        return m;
    }
}
