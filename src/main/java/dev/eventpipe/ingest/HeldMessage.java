package dev.eventpipe.ingest;

import dev.eventpipe.bus.QueueMessage;
import java.time.Instant;

/**
 * A received message that is not deleted yet. It may be deleted once every line it gave (its valid
 * events, and the records of its rejected ones) is in a durable file, and only if every rejected
 * part of it is on the dead-letter queue ({@code keep} is false). Owned by the writer's thread once
 * handed over.
 */
final class HeldMessage {

    /** The message without its body: only the receipt is needed to delete it, and bodies are big. */
    final QueueMessage receipt;
    final Instant receivedAt;
    private boolean keep;
    private int outstanding;
    /** When the queue shows the message to consumers again unless it is deleted or extended first. */
    Instant hiddenUntil;

    /**
     * @param lines lines still to be made durable
     * @param keep  a dead-letter send failed: never delete, so the queue delivers it again
     */
    HeldMessage(QueueMessage message, Instant receivedAt, Instant hiddenUntil, int lines, boolean keep) {
        this.receipt = message.withoutBody();
        this.receivedAt = receivedAt;
        this.hiddenUntil = hiddenUntil;
        this.outstanding = lines;
        this.keep = keep;
    }

    /** Records that {@code n} more of its lines are durable; true when nothing is left to write. */
    boolean written(int n) {
        outstanding -= n;
        return outstanding == 0;
    }

    /** Whether nothing is left to write. */
    boolean complete() {
        return outstanding == 0;
    }

    /** A batch with its lines was given up: the message must come back from the queue, never be deleted. */
    void abandon() {
        keep = true;
    }

    /** Whether it may be deleted once complete. */
    boolean deletable() {
        return !keep;
    }

    @Override
    public String toString() {
        return "message '" + receipt.messageId() + "'";
    }
}
