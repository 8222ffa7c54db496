package dev.eventpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.ingest.BatchIngest;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.testkit.MemoryStore;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.testkit.RecordingBus;
import java.io.BufferedReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler on SQSEvent payloads in the JSON Lambda delivers, loaded by AWS's own test library. */
class SqsBatchHandlerTest {

    private final MemoryStore store = new MemoryStore();
    private final RecordingBus bus = new RecordingBus();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

    private SqsBatchHandler handler() {
        return new SqsBatchHandler(new BatchIngest(bus, store, new EventCodec(32_768), Duration.ofSeconds(120), 1, clock,
                new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), 3)));
    }

    private static List<String> failures(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private List<String> lines(String key) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = NdjsonGzip.reader(store.open(key))) {
            String l;
            while ((l = r.readLine()) != null) {
                out.add(l);
            }
        }
        return out;
    }

    private List<String> keys(String prefix) {
        return store.objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Test
    void validMessagesBecomeOneFilePerDateAndNothingIsReturned() throws Exception {
        SQSEvent event = EventLoader.loadSQSEvent("lambda/sqs-valid.json");
        SQSBatchResponse r = handler().handleRequest(event, null);
        assertThat(failures(r)).isEmpty();
        assertThat(keys(DfsLayout.INCOMING)).singleElement().satisfies(k -> {
            assertThat(k).startsWith("incoming/events/dt=2026-11-24/lambda-").endsWith("-000001.ndjson.gz");
            assertThat(DfsLayout.fileName(k)).isPresent();
        });
        List<String> l = lines(keys(DfsLayout.INCOMING).get(0));
        assertThat(l).hasSize(3);
        // The queue's own send time is kept: SentTimestamp of the first record, 1764000000001 ms.
        assertThat(l.get(0)).contains("\"queued_at\":\"2025-11-24 16:00:00.001000\"").contains("\"consumed_at\":\"2026-11-25 12:00:00");
        assertThat(bus.deadLetters).isEmpty();
    }

    @Test
    void invalidMessagesAreDeadLetteredWithTheirReasonAndSourceAndDeletedByLambda() {
        SQSBatchResponse r = handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-invalid.json"), null);
        assertThat(failures(r)).isEmpty();
        assertThat(bus.deadLetters).extracting(d -> d.reason().code()).containsExactly("missing_field", "invalid_json", "invalid_unicode");
        assertThat(bus.deadLetters.get(0).attributes()).containsEntry(DeadLetter.SOURCE_MESSAGE, "00000001-0000-4000-8000-000000000001");
        assertThat(keys(DfsLayout.INCOMING)).isEmpty();
        assertThat(keys(DfsLayout.DEAD_LETTER_RECORDS)).hasSize(1);
    }

    @Test
    void aMixedBatchSplitsByDateAndKeepsEachPartsFate() throws Exception {
        SQSBatchResponse r = handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-mixed.json"), null);
        assertThat(failures(r)).isEmpty();
        assertThat(keys(DfsLayout.INCOMING)).hasSize(2);
        assertThat(bus.deadLetters).extracting(d -> d.reason().code()).containsExactly("missing_field", "not_an_object");
        assertThat(bus.deadLetters.get(1).attributes()).containsEntry(DeadLetter.SOURCE_INDEX, "1");
    }

    @Test
    void aPackIsReadLineByLine() {
        SQSBatchResponse r = handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-pack.json"), null);
        assertThat(failures(r)).isEmpty();
        assertThat(keys(DfsLayout.INCOMING)).as("three dates in the pack, one in the other message").hasSize(4);
        assertThat(bus.deadLetters).singleElement().satisfies(d -> assertThat(d.reason().code()).isEqualTo("invalid_json"));
    }

    @Test
    void aFileThatCannotBeWrittenReturnsItsMessagesAndOnlyThose() {
        // Every write of the 2026-11-23 file fails; the other date's file is written.
        store.failNext(Integer.MAX_VALUE, true, k -> k.contains("dt=2026-11-23"));
        SQSBatchResponse r = handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-mixed.json"), null);
        assertThat(failures(r)).containsExactly("00000003-0000-4000-8000-000000000003");
        assertThat(keys(DfsLayout.INCOMING)).singleElement().satisfies(k -> assertThat(k).contains("dt=2026-11-24"));
    }

    @Test
    void aStoreThatFailsOnceIsRetriedWithinTheInvocation() {
        store.failNext(1, true);
        SQSBatchResponse r = handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-valid.json"), null);
        assertThat(failures(r)).isEmpty();
        assertThat(store.attempts.get()).isEqualTo(2);
    }

    @Test
    void theSameBatchDeliveredAgainWritesTheSameFileNames() {
        SQSEvent event = EventLoader.loadSQSEvent("lambda/sqs-mixed.json");
        handler().handleRequest(event, null);
        List<String> first = List.copyOf(store.objects.keySet());
        clock.advance(Duration.ofMinutes(5));
        handler().handleRequest(EventLoader.loadSQSEvent("lambda/sqs-mixed.json"), null);
        assertThat(store.objects.keySet()).containsExactlyElementsOf(first);
    }

    @Test
    void badSettingsFailTheColdStartWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> SqsBatchHandler.fromEnvironment(Map.of("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "30")))
                .hasMessage("eventpipe lambda: bad settings: [aws] sqs_polling_timeout = '30' (from EVENTPIPE_AWS_SQS_POLLING_TIMEOUT):"
                        + " must be a whole number from 0 to 20");
    }
}
