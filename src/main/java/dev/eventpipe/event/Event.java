package dev.eventpipe.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;

/**
 * One valid event: a value per {@link EventField} (null when absent) and the unknown fields it
 * arrived with, kept as JSON object text. Immutable; built with {@link #builder()} or by
 * {@link EventCodec}, both of which check each value's type.
 */
public final class Event implements Decoded {

    private final Object[] values;
    private final String extra;
    /** Whether every text in it was found free of unpaired surrogates when it was read, so writing it need not look again. */
    private final boolean unicodeChecked;

    private Event(Object[] values, String extra, boolean unicodeChecked) {
        this.values = values;
        this.extra = extra;
        this.unicodeChecked = unicodeChecked;
    }

    /** The value of {@code field}: a String, Instant, OffsetDateTime or Boolean per its {@link FieldType}, or null. */
    public Object get(EventField field) {
        return values[field.ordinal()];
    }

    public String id() {
        return (String) values[EventField.ID.ordinal()];
    }

    public String name() {
        return (String) values[EventField.EVENT.ordinal()];
    }

    public Instant timestamp() {
        return (Instant) values[EventField.TIMESTAMP.ordinal()];
    }

    /** The UTC date of {@link #timestamp()}: the partition the event is stored under. */
    public LocalDate date() {
        return LocalDate.ofInstant(timestamp(), ZoneOffset.UTC);
    }

    /** Unknown fields as JSON object text, or null when there were none. */
    public String extra() {
        return extra;
    }

    /** Whether the codec's reader checked every text of this event for unpaired surrogates (a built event is not checked). */
    boolean unicodeChecked() {
        return unicodeChecked;
    }

    /** This event with the pipeline's own times: when the queue accepted it and when a consumer received it. */
    public Event stamped(Instant queuedAt, Instant consumedAt) {
        Object[] v = values.clone();
        v[EventField.QUEUED_AT.ordinal()] = queuedAt;
        v[EventField.CONSUMED_AT.ordinal()] = consumedAt;
        return new Event(v, extra, unicodeChecked);
    }

    public static Builder builder() {
        return new Builder(new Object[EventField.all().length], null);
    }

    public Builder toBuilder() {
        return new Builder(values.clone(), extra);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && Arrays.equals(values, e.values) && Objects.equals(extra, e.extra);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Objects.hashCode(extra);
    }

    @Override
    public String toString() {
        return "Event[" + id() + " " + name() + " " + timestamp() + "]";
    }

    /** Sets values with a type check per field; {@link #build()} checks the required ones. Build once. */
    public static final class Builder {
        private Object[] values;
        private String extra;
        private boolean unicodeChecked;

        private Builder(Object[] values, String extra) {
            this.values = values;
            this.extra = extra;
        }

        public Builder set(EventField field, Object value) {
            checkNotBuilt();
            if (value != null) {
                Class<?> expected = switch (field.type()) {
                    case TEXT -> String.class;
                    case TIMESTAMP -> Instant.class;
                    case TIMESTAMP_TZ -> OffsetDateTime.class;
                    case BOOLEAN -> Boolean.class;
                };
                if (!expected.isInstance(value)) {
                    throw new IllegalArgumentException(field.jsonName() + " takes a " + expected.getSimpleName()
                            + ", not " + value.getClass().getSimpleName());
                }
            }
            values[field.ordinal()] = value;
            return this;
        }

        private void checkNotBuilt() {
            if (values == null) {
                throw new IllegalStateException("this builder has already built its event");
            }
        }

        /** Unknown fields as JSON object text ({@code {"k":1}}), or null. */
        public Builder extra(String json) {
            this.extra = json;
            return this;
        }

        /** Marks the event to build as holding no unpaired surrogate: only for the codec's reader, which checked every text it set. */
        Builder unicodeChecked() {
            this.unicodeChecked = true;
            return this;
        }

        public Event build() {
            checkNotBuilt();
            for (EventField f : EventField.all()) {
                if (f.required() && values[f.ordinal()] == null) {
                    throw new IllegalStateException("missing required field " + f.jsonName());
                }
            }
            // The builder hands its array to the event: one event per builder, no copy on the hot path.
            Event e = new Event(values, extra, unicodeChecked);
            values = null;
            return e;
        }
    }
}
