package dev.eventpipe.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each API endpoint answers: as JSON (field names in snake_case), and as CSV through
 * {@link Table}: one header and flat rows, as a spreadsheet takes them.
 */
final class Answers {

    private Answers() {
    }

    /** An answer that can also be written as CSV. */
    interface Table {
        List<String> csvHeader();

        List<List<Object>> csvRows();

        /** The file name a download gets, without {@code .csv}. */
        String csvName();
    }

    /** An event name (or a platform) with its rows in the range. */
    record NameCount(String name, long count) {
    }

    /** {@code /api/events} and {@code /api/platforms}: names with counts, most first; {@code truncated} when there were more. */
    record Names(String kind, String from, String to, String platform, List<NameCount> names, boolean truncated) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of(kind, "count");
        }

        @Override
        public List<List<Object>> csvRows() {
            return names.stream().map(n -> List.<Object>of(n.name(), n.count())).toList();
        }

        @Override
        public String csvName() {
            return kind + "s-" + from + "-" + to;
        }
    }

    /** One event on one platform: a count per bucket, aligned with the answer's buckets. */
    record Series(String event, String platform, List<Long> counts) {
    }

    /** {@code /api/counts}: rows per bucket of each event on each platform. */
    record Counts(String from, String to, String granularity, String platform, List<String> buckets, List<Series> series)
            implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of(granularity, "event", "platform", "count");
        }

        @Override
        public List<List<Object>> csvRows() {
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                for (Series s : series) {
                    rows.add(List.of(buckets.get(i), s.event(), s.platform(), s.counts().get(i)));
                }
            }
            return rows;
        }

        @Override
        public String csvName() {
            return "counts-" + granularity + "-" + from + "-" + to;
        }
    }

    /** Distinct devices per bucket. */
    record Devices(List<String> buckets, List<Long> devices) {
    }

    /**
     * {@code /api/active}: distinct devices per day (DAU), per ISO week (WAU) and per calendar month
     * (MAU). A week or month cut by the range counts the devices of its days inside the range.
     */
    record Active(String from, String to, String platform, Devices dau, Devices wau, Devices mau) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of("measure", "bucket", "devices");
        }

        @Override
        public List<List<Object>> csvRows() {
            List<List<Object>> rows = new ArrayList<>();
            for (Map.Entry<String, Devices> m : Map.of("dau", dau, "wau", wau, "mau", mau).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                for (int i = 0; i < m.getValue().buckets().size(); i++) {
                    rows.add(List.of(m.getKey(), m.getValue().buckets().get(i), m.getValue().devices().get(i)));
                }
            }
            return rows;
        }

        @Override
        public String csvName() {
            return "active-devices-" + from + "-" + to;
        }
    }

    /**
     * A funnel step: the devices that reached it, and that as a share of the first step and of the
     * step before (null where the step before had none).
     */
    record Step(String event, long devices, Double fromFirst, Double fromPrevious) {
    }

    /** {@code /api/funnel}. */
    record Funnel(String from, String to, long windowSeconds, String platform, List<Step> steps) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of("step", "event", "devices", "from_first", "from_previous");
        }

        @Override
        public List<List<Object>> csvRows() {
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                List<Object> row = new ArrayList<>();
                row.add(i + 1);
                row.add(s.event());
                row.add(s.devices());
                row.add(s.fromFirst() == null ? "" : s.fromFirst());
                row.add(s.fromPrevious() == null ? "" : s.fromPrevious());
                rows.add(row);
            }
            return rows;
        }

        @Override
        public String csvName() {
            return "funnel-" + from + "-" + to;
        }
    }

    /**
     * {@code /api/freshness}: how current the warehouse is, by the pipeline's own clocks.
     *
     * @param newestArrival when the newest row reached the pipeline (queue, else consumer, else load); null when none
     * @param lagSeconds    now minus that
     * @param lastLoad      the latest file load; null before the first
     * @param nextLoad      when {@code [schedule] load} runs next, or null
     */
    record Freshness(String now, String newestArrival, Long lagSeconds, String lastLoad, long filesLoaded, long rowsLoaded,
                     long duplicatesSkipped, String nextLoad, String loadSchedule, String warehouse) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of("measure", "value");
        }

        @Override
        public List<List<Object>> csvRows() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(List.of("now", now));
            rows.add(List.of("newest_arrival", String.valueOf(newestArrival)));
            rows.add(List.of("lag_seconds", String.valueOf(lagSeconds)));
            rows.add(List.of("last_load", String.valueOf(lastLoad)));
            rows.add(List.of("files_loaded", filesLoaded));
            rows.add(List.of("rows_loaded", rowsLoaded));
            rows.add(List.of("duplicates_skipped", duplicatesSkipped));
            rows.add(List.of("next_load", String.valueOf(nextLoad)));
            return rows;
        }

        @Override
        public String csvName() {
            return "freshness";
        }
    }

    /** A run of a scheduled job. */
    record JobRun(String job, String started, String finished, String status, String detail) {
    }

    /** {@code /api/loads}: files and rows loaded per bucket of load time, and the latest job runs. */
    record Loads(String from, String to, String granularity, List<String> buckets, List<Long> files, List<Long> rows,
                 List<JobRun> jobs) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of(granularity, "files", "rows");
        }

        @Override
        public List<List<Object>> csvRows() {
            List<List<Object>> out = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                out.add(List.of(buckets.get(i), files.get(i), rows.get(i)));
            }
            return out;
        }

        @Override
        public String csvName() {
            return "loads-" + granularity + "-" + from + "-" + to;
        }
    }

    /**
     * {@code /api/dead-letters}: rejected events by reason, from the consumers' dead-letter records
     * (each counted once, as {@code status} counts them), and the dead-letter queue's depth. A part
     * that cannot be read holds its error.
     */
    record DeadLetters(Map<String, Long> byReason, long rejected, long replayed, Map<String, String> samples, String recordsError,
                       String queue, Long queueVisible, Long queueInFlight, String queueError, String readAt) implements Table {
        @Override
        public List<String> csvHeader() {
            return List.of("reason", "rejected", "sample");
        }

        @Override
        public List<List<Object>> csvRows() {
            return byReason.entrySet().stream()
                    .map(e -> List.<Object>of(e.getKey(), e.getValue(), samples.getOrDefault(e.getKey(), ""))).toList();
        }

        @Override
        public String csvName() {
            return "dead-letters";
        }
    }
}
