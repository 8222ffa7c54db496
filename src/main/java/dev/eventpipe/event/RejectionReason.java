package dev.eventpipe.event;

import java.util.Locale;

/** Why a message body or an event in it is not a valid event. */
public enum RejectionReason {
    /** The body or a line is not JSON (or a packed body is not base64 gzip). */
    INVALID_JSON,
    /** JSON, but not an object (nor an array of events). */
    NOT_AN_OBJECT,
    /** A required field is absent, null or empty. */
    MISSING_FIELD,
    /** A timestamp field is in neither accepted form. */
    BAD_TIMESTAMP,
    /** A known field has the wrong JSON type (a number for {@code id}, a string for a boolean). */
    WRONG_TYPE,
    /** The event, a field of it, or an unpacked body is larger than allowed. */
    TOO_LARGE,
    /** The body is blank, or an empty array. */
    EMPTY,
    /**
     * Text that is not valid Unicode: a JSON escape of an unpaired UTF-16 surrogate ({@code "\ud800"}),
     * or bytes of a pack that are not UTF-8. Stored, such text could only be replaced (and distinct
     * ids merged), so it is refused whole.
     */
    INVALID_UNICODE;

    /** The lower-case code used in message attributes, logs and JSON: {@code missing_field}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RejectionReason fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
