package dev.eventpipe.bus;

import java.util.List;

/**
 * The outcome of one batch send.
 *
 * @param failed indexes into the batch of the bodies the queue refused, with the queue's reason
 */
public record SendResult(int sent, List<Failure> failed) {

    /** A refused body: its index in the batch and the queue's code and message. */
    public record Failure(int index, String code, String message) {
    }
}
