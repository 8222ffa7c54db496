package dev.eventpipe.event;

/**
 * An invalid event or body: the reason, and a one-line detail naming the field where there is one.
 *
 * @param raw the rejected text as it arrived (the whole body, or one element of an array or pack)
 */
public record Rejection(RejectionReason reason, String detail, String raw) {

    @Override
    public String toString() {
        return reason.code() + ": " + detail;
    }
}
