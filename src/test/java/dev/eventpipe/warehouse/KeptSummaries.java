package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks that the summaries the loads keep ({@link Schema#HOURLY_COUNTS}, {@link DeviceActivity}) equal what {@code events} holds. */
final class KeptSummaries {

    private KeptSummaries() {
    }

    /**
     * What the loads keep besides the rows equals what events holds now: the hourly counts, its rows
     * counted per hour, event and platform, one row each; the device activity, each device's days per ISO
     * week and month, per platform and over all, worked out here in Java from the rows themselves.
     */
    static void assertMatchEvents(Warehouse warehouse) {
        Map<String, Integer> expected = new TreeMap<>();
        warehouse.query("SELECT \"timestamp\", context_device_type, anonymous_id FROM " + Schema.EVENTS, List.of(), rs -> {
            if (rs.getString(3) == null) {
                return null; // not a device: count(DISTINCT anonymous_id) skips it too
            }
            LocalDate day = rs.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate week = day.minusDays(day.getDayOfWeek().getValue() - 1);
            for (String platform : rs.getString(2) == null ? new String[] {""} : new String[] {"", rs.getString(2)}) {
                String scope = platform.isEmpty() ? "0" : "1";
                expected.merge("week " + week + " " + scope + " " + platform + " " + rs.getString(3), 1 << (day.getDayOfWeek().getValue() - 1),
                        (a, b) -> a | b);
                expected.merge("month " + day.withDayOfMonth(1) + " " + scope + " " + platform + " " + rs.getString(3),
                        1 << (day.getDayOfMonth() - 1), (a, b) -> a | b);
            }
            return null;
        });
        Map<String, Integer> activity = new TreeMap<>();
        for (String period : List.of("week", "month")) {
            String table = period.equals("week") ? DeviceActivity.WEEKS : DeviceActivity.MONTHS;
            warehouse.query("SELECT period_start, scope, platform, anonymous_id, days FROM " + table, List.of(), rs -> {
                String key = period + " " + rs.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).toLocalDate() + " " + rs.getInt(2)
                        + " " + rs.getString(3) + " " + rs.getString(4);
                assertThat(activity.put(key, rs.getInt(5))).as("one row per period, scope, platform and device: " + key).isNull();
                return null;
            });
        }
        assertThat(activity).as("device activity").isNotEmpty().isEqualTo(expected);
        List<String> kept = warehouse.query("SELECT hour, \"event\", context_device_type, n FROM " + Schema.HOURLY_COUNTS
                + " ORDER BY 1, 2, 3", List.of(), KeptSummaries::line);
        List<String> counted = warehouse.query("SELECT date_trunc('hour', \"timestamp\"), \"event\", context_device_type, count(*) FROM "
                + Schema.EVENTS + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", List.of(), KeptSummaries::line);
        assertThat(kept).isNotEmpty().isEqualTo(counted);
    }

    private static String line(ResultSet rs) throws SQLException {
        return rs.getTimestamp(1).toInstant() + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4);
    }
}
