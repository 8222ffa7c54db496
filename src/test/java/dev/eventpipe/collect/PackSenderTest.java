package dev.eventpipe.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SendResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PackSenderTest {

    final SendingBus bus = new SendingBus();
    PackSender sender;

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close(Duration.ofSeconds(5));
        }
    }

    /** The bus takes every message, but answers only once {@code latch} is down. */
    private void queueAnswersAfter(CountDownLatch latch) {
        bus.behaviour = bodies -> {
            await(latch);
            return new SendResult(bodies.size(), List.of());
        };
    }

    static byte[] line(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whileACallIsOnItsWayTheLinesOfManyRequestsGatherIntoOneMessageOfTheNextCall() throws Exception {
        CountDownLatch queueAnswers = new CountDownLatch(1);
        queueAnswersAfter(queueAnswers);
        sender = new PackSender(bus, Duration.ofSeconds(5), 2, (m, e, b, n, ok) -> { });
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        answers.add(sender.submit(List.of(line("{\"n\":0}"))));
        for (int i = 1; i < 50; i++) {
            answers.add(sender.submit(List.of(line("{\"n\":" + i + "}"))));
        }
        queueAnswers.countDown();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);

        assertThat(bus.calls).hasSize(2).allSatisfy(call -> assertThat(call).hasSize(1));
        assertThat(unpack(bus.calls.get(0).get(0))).containsExactly("{\"n\":0}");
        assertThat(unpack(bus.calls.get(1).get(0))).hasSize(49).contains("{\"n\":1}", "{\"n\":49}");
    }

    @Test
    void aRequestWithNoCallOnItsWayGoesAtOnceWithoutWaitingForOthers() throws Exception {
        sender = new PackSender(bus, Duration.ofSeconds(5), 2, (m, e, b, n, ok) -> { });

        sender.submit(List.of(line("{\"a\":1}"))).get(1, TimeUnit.SECONDS);
        sender.submit(List.of(line("{\"b\":1}"))).get(1, TimeUnit.SECONDS);
        assertThat(bus.calls).hasSize(2);
    }

    @Test
    void linesGatheringBehindASlowCallWaitNoLongerThanTheWait() throws Exception {
        CountDownLatch queueAnswers = new CountDownLatch(1);
        bus.behaviour = bodies -> {
            if (bus.calls.size() == 1) {
                await(queueAnswers);
            }
            return new SendResult(bodies.size(), List.of());
        };
        sender = new PackSender(bus, Duration.ofMillis(50), 2, (m, e, b, n, ok) -> { });
        CompletableFuture<Void> stuck = sender.submit(List.of(line("{\"a\":1}")));
        CompletableFuture<Void> behind = sender.submit(List.of(line("{\"b\":1}")));

        behind.get(2, TimeUnit.SECONDS);
        assertThat(stuck).isNotDone();
        queueAnswers.countDown();
        stuck.get(2, TimeUnit.SECONDS);
    }

    @Test
    void aRequestIsAnsweredOnlyAfterTheQueueTookItsMessage() throws Exception {
        CountDownLatch queueAnswers = new CountDownLatch(1);
        queueAnswersAfter(queueAnswers);
        sender = new PackSender(bus, Duration.ofMillis(1), 2, (m, e, b, n, ok) -> { });
        CompletableFuture<Void> answer = sender.submit(List.of(line("{}")));

        Thread.sleep(200);
        assertThat(answer).isNotDone();
        queueAnswers.countDown();
        answer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallTheQueueFailsFailsEveryRequestInItAndTheListenerHearsIt() throws Exception {
        bus.behaviour = bodies -> {
            throw new BusException("could not send: connection refused", true, null);
        };
        List<Boolean> outcomes = new CopyOnWriteArrayList<>();
        sender = new PackSender(bus, Duration.ofMillis(5), 2, (m, e, b, n, ok) -> outcomes.add(ok));
        CompletableFuture<Void> a = sender.submit(List.of(line("{\"a\":1}")));
        CompletableFuture<Void> b = sender.submit(List.of(line("{\"b\":1}"), line("{\"b\":2}")));

        assertThat(assertThrows(ExecutionException.class, () -> a.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(BusException.class);
        assertThat(assertThrows(ExecutionException.class, () -> b.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(BusException.class);
        assertThat(outcomes).containsOnly(false);
    }

    @Test
    void aMessageTheQueueRefusesFailsItsRequestsOnly() throws Exception {
        // Incompressible lines: one request's lines come out as several messages, another request's in others.
        bus.behaviour = bodies -> new SendResult(bodies.size() - 1, List.of(new SendResult.Failure(0, "InternalError", "try again")));
        sender = new PackSender(bus, Duration.ofMillis(1), 1, (m, e, b, n, ok) -> { });
        CompletableFuture<Void> a = sender.submit(randomLines(1, 12, 30_000));

        assertThat(assertThrows(ExecutionException.class, () -> a.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(BusException.class);
    }

    @Test
    void aPackTooLargeForOneMessageIsSplitAndNoLineIsLostOrRepeated() throws Exception {
        sender = new PackSender(bus, Duration.ofMillis(20), 2, (m, e, b, n, ok) -> { });
        List<byte[]> first = randomLines(1, 10, 30_000);
        List<byte[]> second = randomLines(2, 10, 30_000);
        CompletableFuture<Void> a = sender.submit(first);
        CompletableFuture<Void> b = sender.submit(second);
        CompletableFuture.allOf(a, b).get(10, TimeUnit.SECONDS);

        List<String> sent = new ArrayList<>();
        for (List<String> call : bus.calls) {
            assertThat(call.size()).isLessThanOrEqualTo(EventBus.MAX_BATCH);
            assertThat(call.stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(EventBus.MAX_BATCH_BYTES);
            for (String body : call) {
                sent.addAll(unpack(body));
            }
        }
        List<String> expected = new ArrayList<>();
        first.forEach(l -> expected.add(new String(l, StandardCharsets.UTF_8)));
        second.forEach(l -> expected.add(new String(l, StandardCharsets.UTF_8)));
        assertThat(sent).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(bus.calls.stream().mapToInt(List::size).sum()).isGreaterThan(1);
    }

    @Test
    void withNoWaitEachRequestIsSentAtOnce() throws Exception {
        sender = new PackSender(bus, Duration.ZERO, 1, (m, e, b, n, ok) -> { });
        sender.submit(List.of(line("{\"a\":1}"))).get(5, TimeUnit.SECONDS);
        sender.submit(List.of(line("{\"b\":1}"))).get(5, TimeUnit.SECONDS);

        assertThat(bus.calls).hasSize(2);
    }

    @Test
    void afterCloseWhatWasGatheringIsSentAndNewRequestsFail() throws Exception {
        sender = new PackSender(bus, Duration.ofMillis(20), 1, (m, e, b, n, ok) -> { });
        CompletableFuture<Void> gathering = sender.submit(List.of(line("{\"a\":1}")));
        sender.close(Duration.ofSeconds(5));

        gathering.get(1, TimeUnit.SECONDS);
        assertThat(sender.submit(List.of(line("{}")))).isCompletedExceptionally();
    }

    static List<byte[]> randomLines(long seed, int count, int bytes) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] raw = new byte[bytes * 3 / 4];
            r.nextBytes(raw);
            out.add(line("{\"pad\":\"" + Base64.getEncoder().encodeToString(raw) + "\"}"));
        }
        return out;
    }

    static List<String> unpack(String body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(body)))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return List.of(text.substring(0, text.length() - 1).split("\n"));
        }
    }

    static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A queue whose SendMessageBatch records each call and answers as the test says. */
    static final class SendingBus implements EventBus {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        volatile Function<List<String>, SendResult> behaviour = bodies -> new SendResult(bodies.size(), List.of());

        @Override
        public SendResult send(List<String> bodies) {
            calls.add(List.copyOf(bodies));
            return behaviour.apply(bodies);
        }

        @Override public List<String> ensureQueues() { return List.of(); }
        @Override public List<QueueMessage> receive(int max, Duration wait) { throw new UnsupportedOperationException(); }
        @Override public List<QueueMessage> delete(List<QueueMessage> messages) { throw new UnsupportedOperationException(); }
        @Override public void extendVisibility(List<QueueMessage> messages, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public List<DeadLetter> deadLetter(List<DeadLetter> letters) { throw new UnsupportedOperationException(); }
        @Override public List<QueueMessage> peekDeadLetters(int max, Duration hide) { throw new UnsupportedOperationException(); }
        @Override public void release(List<QueueMessage> m) { throw new UnsupportedOperationException(); }
        @Override public List<QueueMessage> deleteDeadLetters(List<QueueMessage> m) { throw new UnsupportedOperationException(); }
        @Override public SendResult sendWithAttributes(List<String> b, List<Map<String, String>> a) { throw new UnsupportedOperationException(); }
        @Override public Optional<String> moveAllDeadLetters(Duration atMost) { return Optional.empty(); }
        @Override public QueueDepth depth() { return new QueueDepth(0, 0, 0, 0); }
        @Override public void close() { }
    }
}
