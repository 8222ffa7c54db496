package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void pollersWaitForTheDeletesOfWrittenMessagesButTheWriterDoesNotWriteForThem() throws Exception {
        Budget budget = new Budget(1L << 30, 10);
        budget.deleting(10);
        assertThat(budget.over()).as("the writer holds nothing: nothing to write").isFalse();
        CompletableFuture<Boolean> poller = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.awaitRoom(() -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(poller).as("ten written messages wait for their delete").isNotDone();
        budget.deleting(-10);
        assertThat(poller.get(5, TimeUnit.SECONDS)).isTrue();
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
}
