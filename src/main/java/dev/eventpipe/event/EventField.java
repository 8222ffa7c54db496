package dev.eventpipe.event;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The known fields of an event (DESIGN.md, data contract; the original prototype's column names),
 * in column order, then the times the pipeline stamps itself. The codec, the file format and every
 * warehouse dialect's schema are derived from this one list.
 */
public enum EventField {
    ID("id", FieldType.TEXT, true, 128),
    ANONYMOUS_ID("anonymous_id", FieldType.TEXT, true, 128),
    USER_ID("user_id", FieldType.TEXT, false, 128),
    EVENT("event", FieldType.TEXT, true, 256),
    EVENT_TEXT("event_text", FieldType.TEXT, false, 1024),
    TIMESTAMP("timestamp", FieldType.TIMESTAMP, true, 0),
    ORIGINAL_TIMESTAMP("original_timestamp", FieldType.TIMESTAMP_TZ, false, 0),
    SENT_AT("sent_at", FieldType.TIMESTAMP, true, 0),
    RECEIVED_AT("received_at", FieldType.TIMESTAMP, true, 0),
    CONTEXT_DEVICE_TYPE("context_device_type", FieldType.TEXT, true, 64),
    CONTEXT_APP_VERSION("context_app_version", FieldType.TEXT, false, 64),
    CONTEXT_DEVICE_AD_TRACKING_ENABLED("context_device_ad_tracking_enabled", FieldType.BOOLEAN, false, 0),
    CONTEXT_DEVICE_MANUFACTURER("context_device_manufacturer", FieldType.TEXT, false, 128),
    CONTEXT_DEVICE_MODEL("context_device_model", FieldType.TEXT, false, 128),
    CONTEXT_LIBRARY_NAME("context_library_name", FieldType.TEXT, false, 128),
    CONTEXT_LIBRARY_VERSION("context_library_version", FieldType.TEXT, false, 64),
    CONTEXT_LOCALE("context_locale", FieldType.TEXT, false, 64),
    CONTEXT_NETWORK_WIFI("context_network_wifi", FieldType.BOOLEAN, false, 0),
    CONTEXT_OS_NAME("context_os_name", FieldType.TEXT, false, 64),
    CONTEXT_NETWORK_CARRIER("context_network_carrier", FieldType.TEXT, false, 128),
    CONTEXT_TIMEZONE("context_timezone", FieldType.TEXT, false, 64),
    CONTEXT_TRAITS_TAXFIX_LANGUAGE("context_traits_taxfix_language", FieldType.TEXT, false, 64),
    CONTEXT_DEVICE_TOKEN("context_device_token", FieldType.TEXT, false, 256),
    /** When the queue accepted the message (SQS {@code SentTimestamp}): stamped by the pipeline, never read from a client. */
    QUEUED_AT("queued_at", FieldType.TIMESTAMP, false, 0, true),
    /** When a consumer received the message: stamped by the pipeline, never read from a client. */
    CONSUMED_AT("consumed_at", FieldType.TIMESTAMP, false, 0, true);

    /** The column holding unknown fields as JSON object text. */
    public static final String EXTRA = "extra";

    private static final EventField[] ALL = values();
    private static final Map<String, EventField> BY_NAME;

    static {
        Map<String, EventField> m = new HashMap<>();
        for (EventField f : ALL) {
            m.put(f.jsonName, f);
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private final String jsonName;
    private final FieldType type;
    private final boolean required;
    private final int maxLength;
    private final boolean stamped;

    EventField(String jsonName, FieldType type, boolean required, int maxLength) {
        this(jsonName, type, required, maxLength, false);
    }

    EventField(String jsonName, FieldType type, boolean required, int maxLength, boolean stamped) {
        this.jsonName = jsonName;
        this.type = type;
        this.required = required;
        this.maxLength = maxLength;
        this.stamped = stamped;
    }

    /** The JSON key, which is also the warehouse column name. */
    public String jsonName() {
        return jsonName;
    }

    public FieldType type() {
        return type;
    }

    public boolean required() {
        return required;
    }

    /** For text fields, the most characters allowed (the warehouse column width). */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Whether the pipeline stamps this field itself (queue arrival, consumer receipt). A client's
     * value under the same name is kept in {@code extra}, never taken as the pipeline's time:
     * freshness is measured with these, not with client-sent times.
     */
    public boolean stamped() {
        return stamped;
    }

    /** The client field with this JSON name, or null for an unknown field (stamped fields are not client fields). */
    public static EventField byName(String jsonName) {
        EventField f = BY_NAME.get(jsonName);
        return f == null || f.stamped ? null : f;
    }

    /** All fields in column order (a shared array: do not modify). */
    static EventField[] all() {
        return ALL;
    }
}
