package dev.eventpipe.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static StatusReport.Counts counts(long valid, long rejected, long written) {
        return new StatusReport.Counts(1, valid + rejected, valid, Map.of("empty", rejected), rejected, written, 1, 0, 0);
    }

    private static StatusReport.Files files(long pending, long quarantined) {
        return new StatusReport.Files("dfs", new StatusReport.Area(pending > 0 ? 1 : 0, 0, pending),
                new StatusReport.Area(1, 0, null), new StatusReport.Area(0, 0, quarantined), null);
    }

    private static StatusReport.Warehouse warehouse(long rows, long loaded, Long duplicates) {
        return new StatusReport.Warehouse("w", rows, rows, 1L, loaded, loaded - rows, duplicates, null, null, null, null);
    }

    private static StatusReport.Queue queue(long visible, long dead) {
        return new StatusReport.Queue("q", "q-dlq", visible, 0L, dead, 0L, null);
    }

    @Test
    void aDrainedPipelineWhoseCountsAgreeReconciles() {
        StatusReport.Reconciliation r = Reconciliation.check(counts(1000, 10, 1000), files(0, 0), warehouse(980, 1000, 20L), queue(0, 10), null, new StatusReport.Generated(1030, 20, 8, 2, 1000 - 20));
        assertThat(r.ok()).as(String.join("\n", r.checks())).isTrue();
        assertThat(r.checks()).allMatch(c -> c.startsWith("ok: "));
    }

    @Test
    void aLostRowIsAMismatch() {
        StatusReport.Reconciliation r = Reconciliation.check(counts(1000, 10, 1000), files(0, 0), warehouse(979, 999, 20L), queue(0, 10), null, null);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith("written 1000 = loaded 999"));
    }

    @Test
    void aDuplicateThatGotIntoTheWarehouseIsAMismatch() {
        StatusReport.Warehouse w = new StatusReport.Warehouse("w", 1001L, 1000L, 1L, 1001L, 0L, 0L, null, null, null, null);
        StatusReport.Reconciliation r = Reconciliation.check(counts(1001, 0, 1001), files(0, 0), w, queue(0, 0), null, null);
        assertThat(r.problems()).containsExactly("rows 1001 = distinct ids 1000");
    }

    @Test
    void pendingFilesAndQuarantinedRowsAreAccountedFor() {
        StatusReport.Reconciliation r = Reconciliation.check(counts(1000, 0, 1000), files(300, 50), warehouse(650, 650, 0L), queue(0, 0), null, new StatusReport.Generated(1000, 0, 0, 0, 1000));
        assertThat(r.ok()).isTrue();
        assertThat(r.checks()).contains("ok: written 1000 = loaded 650 + pending 300 + quarantined 50")
                .anySatisfy(c -> assertThat(c).startsWith("not yet: rows 650 vs unique valid events generated 1000"));
    }

    @Test
    void moreOnTheDeadLetterQueueThanRejectedIsANoteNotAMismatch() {
        StatusReport.Reconciliation r = Reconciliation.check(counts(100, 3, 100), files(0, 0), warehouse(100, 100, 0L), queue(0, 5), null, null);
        assertThat(r.ok()).isTrue();
        assertThat(r.checks()).anySatisfy(c -> assertThat(c).contains("dead-lettered by the redrive policy"));
    }

    @Test
    void rejectsThatDoNotMatchWhatWasGeneratedAreAMismatch() {
        StatusReport.Reconciliation r = Reconciliation.check(counts(100, 3, 100), files(0, 0), warehouse(100, 100, 0L), queue(0, 3), null, new StatusReport.Generated(104, 0, 3, 1, 100));
        assertThat(r.problems()).containsExactly("rejected 3 = malformed 3 + oversize 1 generated");
    }

    private static StatusReport.DeadLetters dead(long rejected, long replayed) {
        return new StatusReport.DeadLetters(1, rejected, Map.of("empty", rejected), replayed, Map.of(), null);
    }

    @Test
    void rejectionsAreCountedFromTheRecordsNotFromWhatAKilledConsumerLastPublished() {
        // A consumer killed after dead-lettering 4 malformed events had published 0 rejections.
        StatusReport.Reconciliation r = Reconciliation.check(counts(1000, 0, 1000), files(0, 0), warehouse(1000, 1000, 0L),
                queue(0, 4), dead(4, 0), new StatusReport.Generated(1004, 0, 4, 0, 1000));
        assertThat(r.ok()).as(String.join("\n", r.checks())).isTrue();
        assertThat(r.checks()).contains("ok: rejected 4 = malformed 4 + oversize 0 generated", "ok: dead-letter queue 4 = rejected 4");
    }

    @Test
    void validEventsRejectedByAnOldSettingAndReplayedAreValidEventsNotRejections() {
        StatusReport.Reconciliation before = Reconciliation.check(counts(997, 3, 997), files(0, 0), warehouse(997, 997, 0L),
                queue(0, 3), dead(3, 0), new StatusReport.Generated(1000, 0, 0, 0, 1000));
        assertThat(before.problems()).contains("rows 997 = unique valid events generated 1000", "rejected 3 = malformed 0 + oversize 0 generated");
        StatusReport.Reconciliation after = Reconciliation.check(counts(1000, 3, 1000), files(0, 0), warehouse(1000, 1000, 0L),
                queue(0, 0), dead(0, 3), new StatusReport.Generated(1000, 0, 0, 0, 1000));
        assertThat(after.ok()).as(String.join("\n", after.checks())).isTrue();
    }

    @Test
    void aWarehouseThatCannotBeReadIsNeverReportedAsAgreeing() {
        StatusReport.Warehouse w = new StatusReport.Warehouse("duckdb", null, null, null, null, null, null, null, null, null, "file is locked");
        StatusReport.Reconciliation r = Reconciliation.check(counts(10, 0, 10), files(0, 0), w, queue(0, 0), dead(0, 0), null);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsExactly("could not read the warehouse: file is locked");
    }

    private static StatusReport.Lake lake(List<String> problems, StatusReport.LakeDay... days) {
        long rows = java.util.Arrays.stream(days).mapToLong(StatusReport.LakeDay::rows).sum();
        return new StatusReport.Lake(days.length, 0, rows, List.of(days), problems, List.of(), null);
    }

    private StatusReport.Reconciliation withLake(StatusReport.Lake lake) {
        return Reconciliation.check(counts(1000, 0, 1000), files(0, 0), warehouse(1000, 1000, 0L), queue(0, 0), null, null, lake);
    }

    @Test
    void lakeRowsEqualToTheWarehousesOnEachCompactedDayReconcile() {
        StatusReport.Reconciliation r = withLake(lake(List.of(), new StatusReport.LakeDay("2026-11-23", 1, 400, 400L, false),
                new StatusReport.LakeDay("2026-11-24", 2, 600, 600L, false)));
        assertThat(r.ok()).as(String.join("\n", r.checks())).isTrue();
        assertThat(r.checks()).contains("ok: lake rows = warehouse rows on each of 2 compacted days (1000 rows)");
    }

    @Test
    void aDayWhoseLakeDiffersFromTheWarehouseIsAMismatchNamingIt() {
        StatusReport.Reconciliation r = withLake(lake(List.of(), new StatusReport.LakeDay("2026-11-23", 1, 400, 400L, false),
                new StatusReport.LakeDay("2026-11-24", 2, 590, 600L, false)));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().asString()
                .isEqualTo("lake rows differ from the warehouse's on 1 of 2 compacted days: dt=2026-11-24 lake 590 vs warehouse 600");
    }

    @Test
    void aDayWithFilesStillToLoadOrCompactIsNotCheckedYet() {
        StatusReport.Reconciliation r = withLake(lake(List.of(), new StatusReport.LakeDay("2026-11-24", 1, 590, 600L, true)));
        assertThat(r.ok()).isTrue();
        assertThat(r.checks()).contains("not yet: lake vs warehouse on 1 days with files still to load or compact");
    }

    @Test
    void aParquetFileWithoutARecordIsAProblemAndAnUnreadableLakeIsNeverAPass() {
        assertThat(withLake(lake(List.of("Parquet files in the lake without a record: lake/events/dt=2026-11-24/x.parquet"))).ok())
                .isFalse();
        StatusReport.Reconciliation r = withLake(new StatusReport.Lake(0, 0, 0, List.of(), List.of(), List.of(), "no such bucket"));
        assertThat(r.ok()).isFalse();
        assertThat(r.checks()).contains("UNKNOWN: could not read the lake: no such bucket");
    }
}
