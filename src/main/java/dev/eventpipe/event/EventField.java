package dev.eventpipe.event;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The known fields of an event (DESIGN.md, data contract), in column order. The codec, the file
 * format and every warehouse dialect's schema are derived from this one list.
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
    CONTEXT_TRAITS_LANGUAGE("context_traits_language", FieldType.TEXT, false, 64);

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

    EventField(String jsonName, FieldType type, boolean required, int maxLength) {
        this.jsonName = jsonName;
        this.type = type;
        this.required = required;
        this.maxLength = maxLength;
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

    /** The field with this JSON name, or null for an unknown field. */
    public static EventField byName(String jsonName) {
        return BY_NAME.get(jsonName);
    }

    /** All fields in column order (a shared array: do not modify). */
    static EventField[] all() {
        return ALL;
    }
}
