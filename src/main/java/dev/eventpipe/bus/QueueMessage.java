package dev.eventpipe.bus;

import java.time.Instant;
import java.util.Map;

/**
 * A message received from the queue and not yet acknowledged.
 *
 * @param receiptHandle what {@link EventBus#delete} needs; valid until the visibility timeout ends
 * @param receiveCount  how many times the queue has delivered it, this time included
 * @param sentAt        when the queue accepted it (SQS {@code SentTimestamp}): the pipeline's own clock, or null
 * @param attributes    its string message attributes (a replayed dead letter names its source), never null
 */
public record QueueMessage(String messageId, String body, String receiptHandle, int receiveCount, Instant sentAt,
                           Map<String, String> attributes) {

    public QueueMessage {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public QueueMessage(String messageId, String body, String receiptHandle, int receiveCount) {
        this(messageId, body, receiptHandle, receiveCount, null, Map.of());
    }

    /** The same message without its body: what a holder needs to delete it, at a fraction of the memory. */
    public QueueMessage withoutBody() {
        return new QueueMessage(messageId, null, receiptHandle, receiveCount, sentAt, attributes);
    }
}
