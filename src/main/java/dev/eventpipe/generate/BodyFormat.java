package dev.eventpipe.generate;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import java.util.Locale;
import java.util.SplittableRandom;

/** How the simulator writes an event into a message body. */
public enum BodyFormat {

    /**
     * Exactly what the original prototype's producer sends: its field set, some optional fields left
     * out, {@code context_device_token} as JSON null, its timestamp forms, no fields of its own.
     */
    PROTOTYPE,

    /** eventpipe's richer events: every field, ISO-8601 {@code original_timestamp}, extra fields such as {@code screen_name}. */
    EVENTPIPE;

    /** The body of one event; {@code r} draws which optional fields the prototype's form leaves out. */
    String body(Event event, EventCodec codec, SplittableRandom r) {
        return switch (this) {
            case PROTOTYPE -> PrototypeBody.write(event, r);
            case EVENTPIPE -> codec.toWireJson(event);
        };
    }

    /** Its name on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code text} (any case).
     *
     * @throws IllegalArgumentException naming the known formats
     */
    public static BodyFormat parse(String text) {
        for (BodyFormat f : values()) {
            if (f.label().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "' (known: prototype, eventpipe)");
    }
}
