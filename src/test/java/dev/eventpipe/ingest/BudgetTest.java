package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetTest {

    /** Longer than any wait below: a poller that returns in time was woken, not timed out. */
    private static final long NEVER_RECHECK = 600_000;

    @Test
    void pollersWaitForTheDeletesOfWrittenMessagesButTheWriterDoesNotWriteForThem() throws Exception {
        Budget budget = new Budget(1L << 30, 10, NEVER_RECHECK);
        budget.deleting(10);
        assertThat(budget.over()).as("the writer holds nothing: nothing to write").isFalse();
        CompletableFuture<Boolean> poller = poller(budget);
        awaitWaiting(budget, 1);
        assertThat(poller).as("ten written messages wait for their delete").isNotDone();
        budget.deleting(-10);
        assertThat(poller.get(5, TimeUnit.SECONDS)).as("woken by the deletes").isTrue();
    }

    @Test
    void aWaitingPollerIsWokenWhenTheWriterReportsRoom() throws Exception {
        Budget budget = new Budget(1L << 30, 10, NEVER_RECHECK);
        budget.reserve(1_000, 10);
        CompletableFuture<Boolean> poller = poller(budget);
        awaitWaiting(budget, 1);
        budget.held(1_000, 10, 1_000, 10);
        Thread.sleep(100);
        assertThat(poller).as("the writer took the ten in and holds them: still no room").isNotDone();
        budget.held(400, 4);
        assertThat(poller.get(5, TimeUnit.SECONDS)).as("woken when six were written").isTrue();
    }

    @Test
    void everyWaitingPollerIsWokenWhenRoomAppears() throws Exception {
        Budget budget = new Budget(1_000, 0, NEVER_RECHECK);
        budget.reserve(1_000, 1);
        List<CompletableFuture<Boolean>> pollers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pollers.add(poller(budget));
        }
        awaitWaiting(budget, 3);
        budget.held(0, 0, 1_000, 1);
        for (CompletableFuture<Boolean> p : pollers) {
            assertThat(p.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWaitingPollerLooksAtRunningWithoutBeingWoken() throws Exception {
        Budget budget = new Budget(1_000, 0, 20);
        budget.reserve(1_000, 1);
        CompletableFuture<Boolean> poller = CompletableFuture.supplyAsync(() -> {
            try {
                long end = System.nanoTime() + 200_000_000L;
                return budget.awaitRoom(() -> System.nanoTime() < end);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(poller.get(5, TimeUnit.SECONDS)).as("the run ended while it waited").isFalse();
    }

    @Test
    void aMessageHandedOverCountsUntilTheWriterSaysItHoldsIt() {
        Budget budget = new Budget(1L << 30, 10);
        budget.reserve(1_000, 10);
        assertThat(budget.over()).as("in transit to the writer").isTrue();
        budget.held(1_000, 10, 1_000, 10);
        assertThat(budget.over()).as("held by the writer").isTrue();
        assertThat(budget.used()).isEqualTo(1_000);
        budget.held(0, 0);
        assertThat(budget.over()).isFalse();
        assertThat(budget.peak()).isEqualTo(1_000);
    }

    @Test
    void halfTheBoundHeldStartsAWrite() {
        Budget budget = new Budget(1L << 30, 10);
        budget.held(0, 4);
        assertThat(budget.messagesPastHalf()).isFalse();
        budget.held(0, 5);
        assertThat(budget.messagesPastHalf()).isTrue();
        assertThat(budget.over()).isFalse();
    }

    private static CompletableFuture<Boolean> poller(Budget budget) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return budget.awaitRoom(() -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r).start());
    }

    private static void awaitWaiting(Budget budget, int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (budget.waiting() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(budget.waiting()).as("pollers waiting for room").isEqualTo(n);
    }
}
