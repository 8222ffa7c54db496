package dev.eventpipe.event;

/** What one event object in a body decodes to: a valid {@link Event} or a {@link Rejection} with its reason. */
public sealed interface Decoded permits Event, Rejection {
}
