package dev.eventpipe.bus;

/**
 * Approximate message counts of the main and dead-letter queues, as the queue reports them.
 *
 * @param visible  messages waiting to be received
 * @param inFlight messages received and not yet deleted (hidden until their visibility timeout ends)
 */
public record QueueDepth(long visible, long inFlight, long deadLetterVisible, long deadLetterInFlight) {

    public boolean mainEmpty() {
        return visible == 0 && inFlight == 0;
    }
}
