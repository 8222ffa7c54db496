package dev.eventpipe.report;

import dev.eventpipe.warehouse.JobRun;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one report shows, as read from the warehouse.
 *
 * @param window          the days and hours covered
 * @param perEvent        per report event (in the configured order), its daily counts per platform
 * @param activeDevices   distinct devices per day per platform
 * @param funnel          the sign-up funnel per day
 * @param eventsPerHour   events per hour over the last 48 hours (by {@code timestamp})
 * @param rowsLoadedPerHour rows in the files loaded per hour over the last 48 hours (by load time)
 * @param headline        the headline numbers
 * @param jobRuns         the latest runs of each job
 */
record ReportData(ReportWindow window, Map<String, DailyCounts> perEvent, DailyCounts activeDevices,
                         DailyConversion funnel, HourlyCounts eventsPerHour, HourlyCounts rowsLoadedPerHour,
                         Headline headline, List<JobRun> jobRuns) {

    public ReportData {
        perEvent = Collections.unmodifiableMap(new LinkedHashMap<>(perEvent));
        jobRuns = List.copyOf(jobRuns);
    }
}
