package dev.eventpipe.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.ScheduleSettings;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.JobRun;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded scheduler on a controlled clock, recording runs in a real (DuckDB) warehouse. */
class SchedulerIT {

    @TempDir
    Path dir;

    private Warehouse warehouse;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:30Z"));

    @BeforeEach
    void setUp() {
        Path file = dir.resolve("w.duckdb");
        warehouse = new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb");
        warehouse.ensureSchema();
    }

    private Scheduler scheduler(ZoneId zone, ScheduledJob... jobs) {
        return new Scheduler(List.of(jobs), warehouse, clock, zone, Executors.newFixedThreadPool(jobs.length));
    }

    private static ScheduledJob job(String name, String cron, java.util.function.Supplier<String> work) {
        return new ScheduledJob(name, ScheduleSettings.parse(cron), work);
    }

    @Test
    void aJobRunsAtItsCronTimesAndNotBetweenThem() {
        AtomicInteger runs = new AtomicInteger();
        try (Scheduler s = scheduler(ZoneOffset.UTC, job("load", "*/5 * * * *", () -> "run " + runs.incrementAndGet()))) {
            assertThat(s.nextRun("load")).isEqualTo(Instant.parse("2026-11-24T10:05:00Z"));
            clock.advance(Duration.ofSeconds(269));          // 10:04:59
            s.tick();
            assertThat(s.runs("load")).isZero();
            clock.advance(Duration.ofSeconds(1));            // 10:05:00
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.runs("load") == 1, "the first run");
            assertThat(s.nextRun("load")).isEqualTo(Instant.parse("2026-11-24T10:10:00Z"));
            clock.advance(Duration.ofMinutes(17));           // 10:22:00: three times passed while away: one run
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.runs("load") == 2, "the second run");
            assertThat(s.nextRun("load")).isEqualTo(Instant.parse("2026-11-24T10:25:00Z"));
        }
        assertThat(runs.get()).isEqualTo(2);
        List<JobRun> recorded = warehouse.lastJobRuns(10);
        assertThat(recorded).hasSize(2).allSatisfy(r -> {
            assertThat(r.job()).isEqualTo("load");
            assertThat(r.status()).isEqualTo("ok");
            assertThat(r.finished()).isNotNull();
        });
        assertThat(recorded.get(0).detail()).isEqualTo("run 2");
        assertThat(recorded.get(0).started()).isEqualTo(Instant.parse("2026-11-24T10:22:00Z"));
    }

    @Test
    void aJobStillRunningAtItsNextTimeIsSkippedNotRunTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (Scheduler s = scheduler(ZoneOffset.UTC, job("report", "* * * * *", () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
            return "slow";
        }))) {
            clock.advance(Duration.ofSeconds(30));           // 10:01:00
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.running("report"), "the slow run to start");
            clock.advance(Duration.ofMinutes(1));            // 10:02:00, still running
            s.tick();
            assertThat(s.skipped("report")).isEqualTo(1);
            assertThat(s.runs("report")).isZero();
            release.countDown();
            Await.until(Duration.ofSeconds(5), () -> s.runs("report") == 1, "the slow run to end");
            clock.advance(Duration.ofMinutes(1));            // 10:03:00
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.runs("report") == 2, "the next run");
        }
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void aFailedRunIsRecordedWithItsCauseAndTheJobRunsAgainAtItsNextTime() {
        AtomicInteger calls = new AtomicInteger();
        try (Scheduler s = scheduler(ZoneOffset.UTC, job("load", "* * * * *", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("warehouse unavailable");
            }
            return "3 files";
        }))) {
            clock.advance(Duration.ofSeconds(30));
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.runs("load") == 1, "the failing run");
            clock.advance(Duration.ofMinutes(1));
            s.tick();
            Await.until(Duration.ofSeconds(5), () -> s.runs("load") == 2, "the next run");
        }
        List<JobRun> recorded = warehouse.lastJobRuns(10);
        assertThat(recorded).extracting(JobRun::status, JobRun::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ok", "3 files"),
                org.assertj.core.groups.Tuple.tuple("failed", "warehouse unavailable"));
    }

    @Test
    void cronTimesAreReadInTheGivenZoneAsSystemCronWould() {
        try (Scheduler s = scheduler(ZoneId.of("Europe/Berlin"), job("report", "0 2 * * *", () -> "x"))) {
            // 02:00 in Berlin on 25 November is 01:00 UTC.
            assertThat(s.nextRun("report")).isEqualTo(Instant.parse("2026-11-25T01:00:00Z"));
        }
    }

    @Test
    void differentJobsMayRunSideBySide() {
        CountDownLatch both = new CountDownLatch(2);
        java.util.function.Supplier<String> meet = () -> {
            both.countDown();
            try {
                return both.await(5, TimeUnit.SECONDS) ? "met" : "alone";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        try (Scheduler s = scheduler(ZoneOffset.UTC, job("load", "* * * * *", meet), job("report", "* * * * *", meet))) {
            clock.advance(Duration.ofSeconds(30));
            s.tick();
            Await.until(Duration.ofSeconds(10), () -> s.runs("load") == 1 && s.runs("report") == 1, "both runs");
        }
        assertThat(warehouse.lastJobRuns(1)).extracting(JobRun::detail).containsOnly("met");
    }

    @Test
    void aJobDeclaredAfterAnotherWaitsForThatOnesRunAtTheSameTime() {
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ScheduledJob load = job("load", "* * * * *", () -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("load");
            return "loaded";
        });
        ScheduledJob report = new ScheduledJob("report", ScheduleSettings.parse("* * * * *"), () -> {
            order.add("report");
            return "charted";
        }, "load");
        try (Scheduler s = scheduler(ZoneOffset.UTC, load, report)) {
            clock.advance(Duration.ofSeconds(30));
            s.tick();
            Await.until(Duration.ofSeconds(10), () -> s.runs("load") == 1 && s.runs("report") == 1, "both runs");
        }
        assertThat(order).containsExactly("load", "report");
    }
}
