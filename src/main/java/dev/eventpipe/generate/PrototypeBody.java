package dev.eventpipe.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One event as the original prototype's producer (Python) sends it: a flat object written the way
 * {@code json.dumps} writes it ({@code {"id": "...", "received_at": "..."}}, non-ASCII escaped),
 * {@code timestamp}, {@code sent_at} and {@code received_at} as {@code YYYY-MM-DD HH:MM:SS.ffffff}
 * in UTC, {@code original_timestamp} with the device's {@code +HHMM} offset. Some optional fields
 * are left out, each independently, and {@code context_device_token} is JSON null when present.
 * Unknown fields (eventpipe's extras) are not written: the prototype has none.
 */
final class PrototypeBody {

    /** How often each optional field is present; {@code user_id} follows the funnel (registered devices only). */
    static final Map<EventField, Double> OPTIONAL_SHARE = new EnumMap<>(Map.of(
            EventField.CONTEXT_APP_VERSION, 0.9,
            EventField.CONTEXT_DEVICE_AD_TRACKING_ENABLED, 0.7,
            EventField.CONTEXT_LIBRARY_NAME, 0.85,
            EventField.CONTEXT_LIBRARY_VERSION, 0.85,
            EventField.CONTEXT_TIMEZONE, 0.8,
            EventField.CONTEXT_DEVICE_TOKEN, 0.3));

    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final EventField[] CLIENT_FIELDS = Arrays.stream(EventField.values())
            .filter(f -> !f.stamped()).toArray(EventField[]::new);
    private static final DefaultPrettyPrinter PYTHON_SEPARATORS = pythonSeparators();

    private PrototypeBody() {
    }

    static String write(Event e, SplittableRandom r) {
        // Jackson's own recycled-buffer writer, as EventCodec uses: no synchronized StringBuffer.
        SegmentedStringWriter w = new SegmentedStringWriter(FACTORY._getBufferRecycler());
        try {
            try (JsonGenerator g = FACTORY.createGenerator(w)) {
                g.setPrettyPrinter(PYTHON_SEPARATORS.createInstance());
                g.writeStartObject();
                for (EventField f : CLIENT_FIELDS) {
                    Double share = OPTIONAL_SHARE.get(f);
                    if (share != null && r.nextDouble() >= share) {
                        continue;
                    }
                    if (f == EventField.CONTEXT_DEVICE_TOKEN) {
                        g.writeNullField(f.jsonName());
                        continue;
                    }
                    Object v = e.get(f);
                    if (v == null) {
                        continue;
                    }
                    switch (f.type()) {
                        case TEXT -> g.writeStringField(f.jsonName(), (String) v);
                        case TIMESTAMP -> g.writeStringField(f.jsonName(), Timestamps.formatUtc((Instant) v));
                        case TIMESTAMP_TZ -> g.writeStringField(f.jsonName(), Timestamps.formatPrototype((OffsetDateTime) v));
                        case BOOLEAN -> g.writeBooleanField(f.jsonName(), (Boolean) v);
                    }
                }
                g.writeEndObject();
            }
            return w.getAndClear();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code json.dumps}'s default separators, {@code ", "} and {@code ": "}, on one line. */
    private static DefaultPrettyPrinter pythonSeparators() {
        Separators s = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.AFTER);
        return new DefaultPrettyPrinter(s)
                .withObjectIndenter(DefaultPrettyPrinter.NopIndenter.instance)
                .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
    }
}
