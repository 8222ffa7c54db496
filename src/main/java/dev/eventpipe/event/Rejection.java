package dev.eventpipe.event;

/**
 * An invalid event or body: the reason, and a one-line detail naming the field where there is one.
 *
 * @param raw   the rejected text exactly as it arrived (the whole body, or one element of an array or
 *              line of a pack); a pack line that is not UTF-8 is kept as a pack of its bytes, so nothing is lost
 * @param index the element of the array or line of the pack it was (0 for a whole body): with the
 *              message id it names a rejection once, however often the message is delivered
 */
public record Rejection(RejectionReason reason, String detail, String raw, int index) implements Decoded {

    public Rejection(RejectionReason reason, String detail, String raw) {
        this(reason, detail, raw, 0);
    }

    @Override
    public String toString() {
        return reason.code() + ": " + detail;
    }
}
