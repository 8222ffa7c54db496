package dev.eventpipe.event;

import java.util.List;

/**
 * What one message body held: its valid events and its rejections. A body that cannot be read at
 * all has one rejection whose {@code raw} is the whole body; an array or a pack can have both.
 */
public record DecodedBody(List<Event> events, List<Rejection> rejections) {

    public DecodedBody {
        events = List.copyOf(events);
        rejections = List.copyOf(rejections);
    }

    static DecodedBody rejected(RejectionReason reason, String detail, String raw) {
        return new DecodedBody(List.of(), List.of(new Rejection(reason, detail, raw)));
    }

    public int size() {
        return events.size() + rejections.size();
    }
}
