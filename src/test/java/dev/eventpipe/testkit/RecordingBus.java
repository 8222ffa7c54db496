package dev.eventpipe.testkit;

import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SendResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A queue for unit tests that only records what is dead-lettered and kept hidden; the ITs use ElasticMQ. */
public final class RecordingBus implements EventBus {

    public final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    public final List<String> extended = new CopyOnWriteArrayList<>();

    @Override
    public List<DeadLetter> deadLetter(List<DeadLetter> letters) {
        deadLetters.addAll(letters);
        return List.of();
    }

    @Override
    public void extendVisibility(List<QueueMessage> messages, Duration timeout) {
        messages.forEach(m -> extended.add(m.messageId()));
    }

    @Override public List<String> ensureQueues() { return List.of(); }
    @Override public SendResult send(List<String> bodies) { throw new UnsupportedOperationException(); }
    @Override public List<QueueMessage> receive(int max, Duration wait) { return List.of(); }
    @Override public List<QueueMessage> delete(List<QueueMessage> messages) { return List.of(); }
    @Override public List<QueueMessage> peekDeadLetters(int max, Duration hide) { return List.of(); }
    @Override public void release(List<QueueMessage> deadLetters) { }
    @Override public List<QueueMessage> deleteDeadLetters(List<QueueMessage> deadLetters) { return List.of(); }
    @Override public SendResult sendWithAttributes(List<String> bodies, List<Map<String, String>> attributes) {
        throw new UnsupportedOperationException();
    }
    @Override public Optional<String> moveAllDeadLetters(Duration atMost) { return Optional.empty(); }
    @Override public QueueDepth depth() { return new QueueDepth(0, 0, 0, 0); }
    @Override public void close() { }
}
