package dev.eventpipe.ingest;

import dev.eventpipe.bus.QueueMessage;

/**
 * A received message that is not deleted yet: it may be deleted once each of its valid events is in
 * a durable file and each of its invalid ones is on the dead-letter queue.
 */
final class HeldMessage {

    /** The message without its body: only the receipt is needed to delete it, and bodies are big. */
    final QueueMessage receipt;
    private int outstanding;
    private final boolean keep;

    /**
     * @param events valid events still to be written
     * @param keep   a dead-letter send failed: never delete, so the queue delivers it again
     */
    HeldMessage(QueueMessage message, int events, boolean keep) {
        this.receipt = new QueueMessage(message.messageId(), null, message.receiptHandle(), message.receiveCount());
        this.outstanding = events;
        this.keep = keep;
    }

    /** Records that {@code n} more of its events are durable; true when the message may now be deleted. */
    synchronized boolean written(int n) {
        outstanding -= n;
        return outstanding == 0 && !keep;
    }

    /** Whether it may be deleted with nothing left to write. */
    synchronized boolean deletable() {
        return outstanding == 0 && !keep;
    }
}
