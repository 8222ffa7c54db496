package dev.eventpipe.bus;

/**
 * A message received from the queue and not yet acknowledged.
 *
 * @param receiptHandle what {@link EventBus#delete} needs; valid until the visibility timeout ends
 * @param receiveCount  how many times the queue has delivered it, this time included
 */
public record QueueMessage(String messageId, String body, String receiptHandle, int receiveCount) {
}
