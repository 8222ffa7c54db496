package dev.eventpipe.bus;

import java.time.Duration;
import java.util.List;

/**
 * The port to the message queue that carries events: a main queue with a redrive policy to a
 * dead-letter queue. Delivery is at least once: a message not deleted within its visibility timeout
 * is delivered again, and after {@code maxReceiveCount} deliveries the queue moves it to the
 * dead-letter queue. Implementations are thread-safe.
 */
public interface EventBus extends AutoCloseable {

    /** The most bodies one {@link #send} or {@link #receive} call handles. */
    int MAX_BATCH = 10;

    /** The most bytes of bodies one {@link #send} call may carry, and so the largest one body. */
    int MAX_BATCH_BYTES = 256 * 1024;

    /**
     * Creates the main and dead-letter queues when they are missing and sets the main queue's
     * redrive policy and visibility timeout when they differ from the settings. Running it again
     * changes nothing.
     *
     * @return one line per queue saying what was done ("created", "updated ...", "unchanged")
     * @throws BusException when the queue service cannot be reached or refuses
     */
    List<String> ensureQueues();

    /**
     * Sends up to {@link #MAX_BATCH} bodies in one call ({@link #MAX_BATCH_BYTES} in all).
     * The queue may refuse single bodies; those come back in {@link SendResult#failed()}.
     *
     * @throws BusException when the whole call fails after the client's own retries
     */
    SendResult send(List<String> bodies);

    /**
     * Long-polls for up to {@code max} messages ({@code max <= MAX_BATCH}), waiting up to {@code wait}
     * for the first. Returns an empty list when none arrived in time.
     *
     * @throws BusException when the queue service cannot be reached
     */
    List<QueueMessage> receive(int max, Duration wait);

    /**
     * Acknowledges messages: once deleted they are never delivered again. Call it only after what
     * the messages carried is durable.
     *
     * @return the messages that could not be deleted (for example an expired receipt handle);
     *     they will be delivered again
     * @throws BusException when the call fails as a whole
     */
    List<QueueMessage> delete(List<QueueMessage> messages);

    /**
     * Keeps messages hidden from other consumers for {@code timeout} from now, for messages held
     * longer than the queue's visibility timeout.
     *
     * @throws BusException when the call fails as a whole
     */
    void extendVisibility(List<QueueMessage> messages, Duration timeout);

    /**
     * Puts dead letters on the dead-letter queue, with their reason, detail and source as message
     * attributes, in as few calls as the queue's limits allow (10 messages and 256 KiB a call). Each
     * letter must {@link DeadLetter#fits() fit} in one message.
     *
     * @return the letters the queue refused (none when all are on it)
     * @throws BusException when a call fails as a whole; some letters may already be on the queue
     */
    List<DeadLetter> deadLetter(List<DeadLetter> letters);

    /**
     * Reads up to {@code max} dead-lettered messages without consuming them: they stay hidden for
     * {@code hide} (so one pass does not read the same message twice) and the caller then
     * {@link #release releases} or {@link #deleteDeadLetters deletes} them.
     *
     * @throws BusException when the dead-letter queue cannot be read
     */
    List<QueueMessage> peekDeadLetters(int max, Duration hide);

    /** Makes peeked dead letters visible again at once. */
    void release(List<QueueMessage> deadLetters);

    /**
     * Deletes dead letters (after they were sent back to the main queue).
     *
     * @return those that could not be deleted
     */
    List<QueueMessage> deleteDeadLetters(List<QueueMessage> deadLetters);

    /**
     * Sends bodies to the main queue with message attributes (a replayed dead letter keeps its source).
     *
     * @throws BusException when the call fails as a whole
     */
    SendResult sendWithAttributes(List<String> bodies, List<java.util.Map<String, String>> attributes);

    /**
     * Moves every dead letter back to the main queue with the queue service's own move task, where it has
     * one; returns a description of the finished task, or empty when the service cannot (the caller then
     * moves them one by one).
     *
     * @throws BusException when the task fails
     */
    java.util.Optional<String> moveAllDeadLetters(Duration atMost);

    /**
     * Current approximate depths of both queues.
     *
     * @throws BusException when the queue service cannot be reached
     */
    QueueDepth depth();

    /** Releases connections. */
    @Override
    void close();
}
