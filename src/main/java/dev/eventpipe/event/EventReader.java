package dev.eventpipe.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Reads one event object token by token and checks every known field as it goes; unknown fields are
 * copied to {@code extra} exactly as sent (numbers keep their text: {@code 1e999999} stays
 * {@code 1e999999}, not {@code Infinity}). Every string, field name and nested value is checked for
 * unpaired surrogates, which no later step could store without replacing them.
 *
 * <p>The whole object is read even after a bad field, so invalid JSON anywhere in it wins over a
 * field's problem, and of several bad fields the first in column order is reported: the same body
 * always gets the same reason.
 */
final class EventReader {

    /** Why an object is not a valid event; the caller adds the raw text and index. */
    record Problem(RejectionReason reason, String detail) {
    }

    private static final EventField[] FIELDS = EventField.values();

    private final JsonFactory factory;

    EventReader(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * Reads the object whose START_OBJECT is the parser's current token, up to its END_OBJECT.
     *
     * @return an {@link Event} or a {@link Problem}
     * @throws IOException when the JSON is invalid (the caller rejects the whole text)
     */
    Object read(JsonParser p) throws IOException {
        return read(p, true);
    }

    /**
     * Checks the object whose START_OBJECT is the parser's current token as {@link #read} does, without
     * building the event or copying its unknown fields.
     *
     * @return its problem, or null when it is a valid event
     * @throws IOException when the JSON is invalid
     */
    Problem check(JsonParser p) throws IOException {
        return read(p, false) instanceof Problem problem ? problem : null;
    }

    /** @return a {@link Problem}, or when valid the {@link Event} if {@code build}, else null */
    private Object read(JsonParser p, boolean build) throws IOException {
        Object[] values = new Object[FIELDS.length];
        Problem[] problems = null;
        Problem unicode = null;
        SegmentedStringWriter extraText = null;
        JsonGenerator extra = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            EventField f = EventField.byName(name);
            if (f == null) {
                if (extra == null && build) {
                    extraText = new SegmentedStringWriter(factory._getBufferRecycler());
                    extra = factory.createGenerator(extraText);
                    extra.writeStartObject();
                }
                if (unicode == null && Utf8.hasLoneSurrogate(name)) {
                    unicode = loneSurrogate("field name '" + Details.safe(name) + "'");
                }
                if (extra != null) {
                    extra.writeFieldName(name);
                }
                Problem copied = copyExactly(p, extra);
                if (unicode == null) {
                    unicode = copied;
                }
                continue;
            }
            Problem problem = readField(f, p, v, values);
            if (problem != null) {
                if (problem.reason() == RejectionReason.INVALID_UNICODE) {
                    if (unicode == null) {
                        unicode = problem;
                    }
                } else {
                    if (problems == null) {
                        problems = new Problem[FIELDS.length];
                    }
                    problems[f.ordinal()] = problem;
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("expected the end of the object, got " + t);
        }
        String extraJson = null;
        if (extra != null) {
            extra.writeEndObject();
            extra.close();
            extraJson = extraText.getAndClear();
        }
        if (unicode != null) {
            return unicode;
        }
        for (EventField f : FIELDS) {
            if (problems != null && problems[f.ordinal()] != null) {
                return problems[f.ordinal()];
            }
            if (f.required() && values[f.ordinal()] == null) {
                return new Problem(RejectionReason.MISSING_FIELD, "missing field '" + f.jsonName() + "'");
            }
        }
        if (!build) {
            return null;
        }
        Event.Builder b = Event.builder();
        for (EventField f : FIELDS) {
            if (values[f.ordinal()] != null) {
                b.set(f, values[f.ordinal()]);
            }
        }
        return b.extra(extraJson).unicodeChecked().build();
    }

    /** Reads one known field's value into {@code values}; returns its problem, or null. Leaves the parser on the value's last token. */
    private static Problem readField(EventField f, JsonParser p, JsonToken v, Object[] values) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        switch (f.type()) {
            case TEXT -> {
                String s;
                if (v == JsonToken.VALUE_STRING) {
                    // Checked in the parser's buffer before it becomes a String: a char array is cheaper to scan.
                    if (Utf8.hasLoneSurrogate(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
                        return loneSurrogate("field '" + f.jsonName() + "'");
                    }
                    s = p.getText();
                } else if (f == EventField.USER_ID && v == JsonToken.VALUE_NUMBER_INT) {
                    // Segment's API and the prototype's INTEGER column: a user id may be a JSON integer, kept as its digits.
                    s = p.getText();
                } else {
                    return wrongType(f, p, v, f == EventField.USER_ID ? "a string or an integer" : "a string");
                }
                if (s.isEmpty()) {
                    return null;
                }
                if (s.length() > f.maxLength()) {
                    return new Problem(RejectionReason.TOO_LARGE, "field '" + f.jsonName() + "' is " + s.length()
                            + " characters, more than " + f.maxLength());
                }
                values[f.ordinal()] = s;
            }
            case TIMESTAMP, TIMESTAMP_TZ -> {
                if (v != JsonToken.VALUE_STRING) {
                    return wrongType(f, p, v, "a timestamp string");
                }
                if (p.getTextLength() == 0) {
                    return null;
                }
                OffsetDateTime t = Timestamps.parseOrNull(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (t == null) {
                    return new Problem(RejectionReason.BAD_TIMESTAMP, "bad timestamp in '" + f.jsonName() + "': '"
                            + Details.safe(p.getText()) + "'");
                }
                values[f.ordinal()] = f.type() == FieldType.TIMESTAMP ? t.toInstant() : t;
            }
            case BOOLEAN -> {
                if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                    return wrongType(f, p, v, "true or false");
                }
                values[f.ordinal()] = v == JsonToken.VALUE_TRUE;
            }
        }
        return null;
    }

    private static Problem wrongType(EventField f, JsonParser p, JsonToken v, String expected) throws IOException {
        p.skipChildren();
        return new Problem(RejectionReason.WRONG_TYPE, "wrong type in '" + f.jsonName() + "': expected " + expected
                + ", got " + kind(v));
    }

    private static Problem loneSurrogate(String where) {
        return new Problem(RejectionReason.INVALID_UNICODE, where + " holds an unpaired UTF-16 surrogate (not valid Unicode)");
    }

    /** The JSON kind of a value token, as people say it: string, number, boolean, null, object, array. */
    static String kind(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Copies the value at the parser's current token to {@code g} with numbers as their original text
     * (or only reads it past when {@code g} is null); returns the first unpaired surrogate found in a name
     * or string, or null.
     */
    private static Problem copyExactly(JsonParser p, JsonGenerator g) throws IOException {
        Problem found = null;
        int depth = 0;
        while (true) {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    if (found == null && Utf8.hasLoneSurrogate(p.currentName())) {
                        found = loneSurrogate("field name '" + Details.safe(p.currentName()) + "'");
                    }
                }
                case VALUE_STRING -> {
                    if (found == null && Utf8.hasLoneSurrogate(p.getText())) {
                        found = loneSurrogate("a value under an unknown field");
                    }
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                }
                default -> throw new IOException("unexpected " + t);
            }
            if (g != null) {
                copyToken(p, t, g);
            }
            if (depth == 0) {
                return found;
            }
            p.nextToken();
        }
    }

    private static void copyToken(JsonParser p, JsonToken t, JsonGenerator g) throws IOException {
        switch (t) {
            case START_OBJECT -> g.writeStartObject();
            case START_ARRAY -> g.writeStartArray();
            case END_OBJECT -> g.writeEndObject();
            case END_ARRAY -> g.writeEndArray();
            case FIELD_NAME -> g.writeFieldName(p.currentName());
            case VALUE_STRING -> g.writeString(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            default -> g.writeNull();
        }
    }
}
