package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static PipelineStatus.Counts counts(long valid, long rejected, long written) {
        return new PipelineStatus.Counts(1, valid + rejected, valid, Map.of("empty", rejected), rejected, written, 1, 0, 0);
    }

    private static PipelineStatus.Files files(long pending, long quarantined) {
        return new PipelineStatus.Files("dfs", new PipelineStatus.Area(pending > 0 ? 1 : 0, 0, pending),
                new PipelineStatus.Area(1, 0, null), new PipelineStatus.Area(0, 0, quarantined), null);
    }

    private static PipelineStatus.Warehouse warehouse(long rows, long loaded, Long duplicates) {
        return new PipelineStatus.Warehouse("w", rows, rows, 1L, loaded, loaded - rows, duplicates, null, null, null);
    }

    private static PipelineStatus.Queue queue(long visible, long dead) {
        return new PipelineStatus.Queue("q", "q-dlq", visible, 0L, dead, 0L, null);
    }

    @Test
    void aDrainedPipelineWhoseCountsAgreeReconciles() {
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(1000, 10, 1000), files(0, 0), warehouse(980, 1000, 20L),
                queue(0, 10), new PipelineStatus.Generated(1030, 20, 8, 2, 1000 - 20));
        assertThat(r.ok()).as(String.join("\n", r.checks())).isTrue();
        assertThat(r.checks()).allMatch(c -> c.startsWith("ok: "));
    }

    @Test
    void aLostRowIsAMismatch() {
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(1000, 10, 1000), files(0, 0), warehouse(979, 999, 20L),
                queue(0, 10), null);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith("written 1000 = loaded 999"));
    }

    @Test
    void aDuplicateThatGotIntoTheWarehouseIsAMismatch() {
        PipelineStatus.Warehouse w = new PipelineStatus.Warehouse("w", 1001L, 1000L, 1L, 1001L, 0L, 0L, null, null, null);
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(1001, 0, 1001), files(0, 0), w, queue(0, 0), null);
        assertThat(r.problems()).containsExactly("rows 1001 = distinct ids 1000");
    }

    @Test
    void pendingFilesAndQuarantinedRowsAreAccountedFor() {
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(1000, 0, 1000), files(300, 50), warehouse(650, 650, 0L),
                queue(0, 0), new PipelineStatus.Generated(1000, 0, 0, 0, 1000));
        assertThat(r.ok()).isTrue();
        assertThat(r.checks()).contains("ok: written 1000 = loaded 650 + pending 300 + quarantined 50")
                .anySatisfy(c -> assertThat(c).startsWith("not yet: rows 650 vs unique valid events generated 1000"));
    }

    @Test
    void moreOnTheDeadLetterQueueThanRejectedIsANoteNotAMismatch() {
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(100, 3, 100), files(0, 0), warehouse(100, 100, 0L),
                queue(0, 5), null);
        assertThat(r.ok()).isTrue();
        assertThat(r.checks()).anySatisfy(c -> assertThat(c).contains("dead-lettered by the redrive policy"));
    }

    @Test
    void rejectsThatDoNotMatchWhatWasGeneratedAreAMismatch() {
        PipelineStatus.Reconciliation r = Reconciliation.check(counts(100, 3, 100), files(0, 0), warehouse(100, 100, 0L),
                queue(0, 3), new PipelineStatus.Generated(104, 0, 3, 1, 100));
        assertThat(r.problems()).containsExactly("rejected 3 = malformed 3 + oversize 1 generated");
    }
}
