package dev.eventpipe.serve;

import dev.eventpipe.serve.Answers.Active;
import dev.eventpipe.serve.Answers.Counts;
import dev.eventpipe.serve.Answers.Devices;
import dev.eventpipe.serve.Answers.Freshness;
import dev.eventpipe.serve.Answers.Funnel;
import dev.eventpipe.serve.Answers.JobRun;
import dev.eventpipe.serve.Answers.Loads;
import dev.eventpipe.serve.Answers.NameCount;
import dev.eventpipe.serve.Answers.Names;
import dev.eventpipe.serve.Answers.Series;
import dev.eventpipe.serve.Answers.Step;
import dev.eventpipe.warehouse.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's questions to the warehouse, one method per endpoint, each answered from read-only
 * queries bounded by the range asked (see {@link ServeSql}). Buckets without rows are zeros, so
 * every series has one value per bucket.
 */
final class DashboardApi {

    private static final Logger log = LoggerFactory.getLogger(DashboardApi.class);
    private static final String UNKNOWN_PLATFORM = "unknown";

    private final ReadOnlyQueries queries;
    private final ServeSql sql;
    private final LoadSchedule schedule;
    private final Clock clock;
    private final String warehouse;
    /** Once seen, the hourly counts stay (a schema is never downgraded). */
    private volatile boolean hourlyExists;
    private volatile boolean warnedDisagree;
    private volatile boolean activityExists;

    /**
     * @param warehouse what the warehouse is, as the page may show it ("duckdb", "postgres", "redshift")
     */
    DashboardApi(ReadOnlyQueries queries, LoadSchedule schedule, Clock clock, String warehouse) {
        this.queries = queries;
        this.sql = new ServeSql(queries.dialect());
        this.schedule = schedule;
        this.clock = clock;
        this.warehouse = warehouse;
    }

    Clock clock() {
        return clock;
    }

    ApiLimits limits() {
        return queries.limits();
    }

    /**
     * Where the rows of {@code range} are counted from: the hourly counts the loads keep when they exist
     * and hold as many rows for the range as {@code events} does (rows written into {@code events} by
     * anything but a load are not in them), else {@code events}.
     */
    private ServeSql.Counted counted(DateRange range) {
        if (!hourlyExists) {
            hourlyExists = queries.list(ServeSql.HOURLY_EXISTS, List.of(), rs -> rs.getLong(1)).get(0) > 0;
            if (!hourlyExists) {
                return ServeSql.Counted.EVENTS;
            }
        }
        Timestamp start = ts(range.start());
        Timestamp end = ts(range.end());
        long[] both = queries.list(ServeSql.HOURLY_AGREES, List.of(start, end, start, end),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}).get(0);
        if (both[0] != both[1]) {
            if (!warnedDisagree) {
                warnedDisagree = true;
                log.warn("serve: {} holds {} rows for {}..{} where events holds {}: counting from events (slower); rows written into "
                        + "events by anything but 'eventpipe load' are not counted there", Schema.HOURLY_COUNTS, both[0], range.from(),
                        range.to(), both[1]);
            }
            return ServeSql.Counted.EVENTS;
        }
        return ServeSql.Counted.HOURLY;
    }

    /** Event names with their rows in {@code range}, most first; the list is cut at the row limit. */
    Names events(DateRange range, Optional<String> platform) {
        List<Object> params = new ArrayList<>(List.of(ts(range.start()), ts(range.end())));
        platform.ifPresent(params::add);
        ReadOnlyQueries.Rows<NameCount> rows = queries.query(sql.eventNames(counted(range), platform.isPresent()), params,
                rs -> new NameCount(rs.getString(1), rs.getLong(2)), ReadOnlyQueries.Overflow.TRUNCATE);
        return new Names("event", range.from().toString(), range.to().toString(), platform.orElse(null), rows.rows(), rows.truncated());
    }

    /** Platforms with their rows in {@code range}, most first. */
    Names platforms(DateRange range) {
        ReadOnlyQueries.Rows<NameCount> rows = queries.query(sql.platforms(counted(range)), List.of(ts(range.start()), ts(range.end())),
                rs -> new NameCount(platform(rs.getString(1)), rs.getLong(2)), ReadOnlyQueries.Overflow.TRUNCATE);
        return new Names("platform", range.from().toString(), range.to().toString(), null, rows.rows(), rows.truncated());
    }

    /** Rows per bucket of each of {@code events} on each platform (or on {@code platform} only), in the order asked. */
    Counts counts(DateRange range, Granularity g, List<String> events, Optional<String> platform) {
        List<Instant> buckets = g.buckets(range);
        Map<Instant, Integer> index = index(buckets);
        boolean numbered = g.seconds().isPresent();
        List<Object> params = new ArrayList<>();
        if (numbered) {
            params.add(buckets.get(0).getEpochSecond());
        }
        params.addAll(events);
        params.add(ts(range.start()));
        params.add(ts(range.end()));
        platform.ifPresent(params::add);
        // event -> platform -> counts; events in the order asked, platforms sorted
        Map<String, Map<String, long[]>> byEvent = new LinkedHashMap<>();
        events.forEach(e -> byEvent.put(e, new java.util.TreeMap<>()));
        queries.list(sql.counts(counted(range), g, events.size(), platform.isPresent()), params, rs -> {
            Integer i = numbered ? Integer.valueOf(rs.getInt(1)) : index.get(g.truncate(instant(rs, 1)));
            Map<String, long[]> perPlatform = byEvent.get(rs.getString(2));
            if (i != null && i >= 0 && i < buckets.size() && perPlatform != null) {
                perPlatform.computeIfAbsent(platform(rs.getString(3)), p -> new long[buckets.size()])[i] += rs.getLong(4);
            }
            return null;
        });
        List<Series> series = new ArrayList<>();
        byEvent.forEach((event, perPlatform) -> perPlatform.forEach((p, counts) ->
                series.add(new Series(event, p, java.util.Arrays.stream(counts).boxed().toList()))));
        return new Counts(range.from().toString(), range.to().toString(), g.unit(), platform.orElse(null), labels(g, buckets), series);
    }

    /**
     * Distinct devices per day, ISO week and month of {@code range}: from the device activity the loads
     * keep where they account for every row of the range (the hourly counts agree with {@code events},
     * and both are kept by the same loads), else from one pass over the range's rows (see {@link ActiveDays}).
     */
    Active active(DateRange range, Optional<String> platform) {
        ActiveDays plan = new ActiveDays(range);
        List<ActiveDays.Column> columns = plan.columns();
        Map<Granularity, long[]> counts = new HashMap<>();
        ActiveDays.WIDTHS.forEach(g -> counts.put(g, new long[plan.buckets(g).size()]));
        if (counted(range) == ServeSql.Counted.HOURLY && activityExists()) {
            List<ActiveDays.Kept> kept = plan.kept();
            for (boolean monthly : List.of(false, true)) {
                List<ActiveDays.Kept> part = kept.stream().filter(k -> k.monthly() == monthly).toList();
                List<Object> params = new ArrayList<>();
                part.forEach(k -> params.addAll(List.of(ts(k.periodStart()), k.days())));
                params.addAll(List.of(ts(monthly ? plan.firstMonth() : plan.firstWeek()), ts(plan.end())));
                platform.ifPresent(params::add);
                queries.list(sql.activeKept(part, monthly, platform.isPresent()), params, rs -> {
                    for (int c = 0; c < part.size(); c++) {
                        counts.get(part.get(c).column().width())[part.get(c).column().bucket()] = rs.getLong(c + 1);
                    }
                    return null;
                });
            }
        } else {
            List<Object> params = new ArrayList<>();
            columns.forEach(c -> params.addAll(c.bits().values()));
            params.addAll(List.of(plan.startEpochSecond(), ts(range.start()), ts(range.end())));
            platform.ifPresent(params::add);
            queries.list(sql.activeDevices(plan, platform.isPresent()), params, rs -> {
                for (int c = 0; c < columns.size(); c++) {
                    counts.get(columns.get(c).width())[columns.get(c).bucket()] = rs.getLong(c + 1);
                }
                return null;
            });
        }
        return new Active(range.from().toString(), range.to().toString(), platform.orElse(null),
                devices(Granularity.DAY, plan, counts), devices(Granularity.WEEK, plan, counts), devices(Granularity.MONTH, plan, counts));
    }

    /** Whether the loads keep the devices' activity here (schema version 4); once seen it stays. */
    private boolean activityExists() {
        if (!activityExists) {
            activityExists = queries.list(ServeSql.ACTIVITY_EXISTS, List.of(), rs -> rs.getLong(1)).get(0) > 0;
        }
        return activityExists;
    }

    private static Devices devices(Granularity g, ActiveDays plan, Map<Granularity, long[]> counts) {
        return new Devices(labels(g, plan.buckets(g)), java.util.Arrays.stream(counts.get(g)).boxed().toList());
    }

    /** Devices reaching each of {@code steps} in order, each within {@code windowSeconds} of the first (see {@link ServeSql#funnel}). */
    Funnel funnel(DateRange range, List<String> steps, long windowSeconds, Optional<String> platform) {
        List<String> later = steps.subList(1, steps.size());
        List<Object> params = new ArrayList<>();
        params.add(steps.get(0));
        params.add(ts(range.start()));
        params.add(ts(range.end()));
        platform.ifPresent(params::add);
        if (!later.isEmpty()) {
            params.addAll(later);
            params.add(ts(range.start()));
            params.add(ts(range.end().plusSeconds(windowSeconds)));
            params.add((int) windowSeconds);
            platform.ifPresent(params::add);
            params.addAll(later);
        }
        long[] reached = queries.list(sql.funnel(steps.size(), platform.isPresent()), params, rs -> {
            long[] r = new long[steps.size()];
            for (int k = 0; k < r.length; k++) {
                r[k] = rs.getLong(k + 1);
            }
            return r;
        }).get(0);
        List<Step> out = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            Double fromFirst = reached[0] == 0 ? null : share(reached[k], reached[0]);
            Double fromPrevious = k == 0 ? (reached[0] == 0 ? null : 1.0) : reached[k - 1] == 0 ? null : share(reached[k], reached[k - 1]);
            out.add(new Step(steps.get(k), reached[k], fromFirst, fromPrevious));
        }
        return new Funnel(range.from().toString(), range.to().toString(), windowSeconds, platform.orElse(null), out);
    }

    private static double share(long part, long whole) {
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    /** How current the warehouse is: the ledger's totals, the newest arrival by the pipeline's clocks, the next load. */
    Freshness freshness() {
        Instant now = clock.instant();
        long[] totals = new long[3];
        Instant[] lastLoad = new Instant[1];
        queries.list(ServeSql.LEDGER_TOTALS, List.of(), rs -> {
            totals[0] = rs.getLong(1);
            totals[1] = rs.getLong(2);
            totals[2] = rs.getLong(3);
            lastLoad[0] = instant(rs, 4);
            return null;
        });
        Instant newest = newestArrival(lastLoad[0]);
        Instant next = schedule.next(now).orElse(null);
        return new Freshness(now.toString(), str(newest), newest == null ? null : Duration.between(newest, now).toSeconds(),
                str(lastLoad[0]), totals[0], totals[1] - totals[2], totals[2], str(next), schedule.expression(), warehouse);
    }

    /**
     * The newest arrival, reading only the rows of the last hour of loads when one of them arrived in
     * that hour: a row loaded before it arrived before it, so none older can be newer. Else all rows.
     */
    private Instant newestArrival(Instant lastLoad) {
        if (lastLoad == null) {
            // No file loaded: an empty table, or one eventpipe did not load (cheap either way, and rare).
            return queries.list(ServeSql.NEWEST_ARRIVAL, List.of(), rs -> instant(rs, 1)).get(0);
        }
        Instant since = lastLoad.minus(Duration.ofHours(1));
        Instant recent = queries.list(ServeSql.NEWEST_ARRIVAL_LOADED_SINCE, List.of(ts(since)), rs -> instant(rs, 1)).get(0);
        if (recent != null && !recent.isBefore(since)) {
            return recent;
        }
        return queries.list(ServeSql.NEWEST_ARRIVAL, List.of(), rs -> instant(rs, 1)).get(0);
    }

    /** Files and rows loaded per bucket of {@code range} (by load time), and the latest job runs. */
    Loads loads(DateRange range, Granularity g) {
        List<Instant> buckets = g.buckets(range);
        Map<Instant, Integer> index = index(buckets);
        long[] files = new long[buckets.size()];
        long[] rows = new long[buckets.size()];
        queries.list(ServeSql.loads(g), List.of(ts(range.start()), ts(range.end())), rs -> {
            Integer i = index.get(g.truncate(instant(rs, 1)));
            if (i != null) {
                files[i] += rs.getLong(2);
                rows[i] += rs.getLong(3);
            }
            return null;
        });
        List<JobRun> jobs = queries.list(ServeSql.JOB_RUNS, List.of(), rs -> new JobRun(rs.getString(1), str(instant(rs, 2)),
                str(instant(rs, 3)), rs.getString(4), rs.getString(5)));
        return new Loads(range.from().toString(), range.to().toString(), g.unit(), labels(g, buckets),
                java.util.Arrays.stream(files).boxed().toList(), java.util.Arrays.stream(rows).boxed().toList(), jobs);
    }

    private static Map<Instant, Integer> index(List<Instant> buckets) {
        Map<Instant, Integer> index = new HashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            index.put(buckets.get(i), i);
        }
        return index;
    }

    private static List<String> labels(Granularity g, List<Instant> buckets) {
        return buckets.stream().map(g::label).toList();
    }

    private static String platform(String p) {
        return p == null || p.isBlank() ? UNKNOWN_PLATFORM : p;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Timestamp ts(Instant t) {
        return Timestamp.from(t);
    }
}
