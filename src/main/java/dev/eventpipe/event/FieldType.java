package dev.eventpipe.event;

/** The type of one event field, as the codec checks it and as the warehouse stores it. */
public enum FieldType {
    /** A JSON string. */
    TEXT,
    /** An instant in UTC; written to files as {@code yyyy-MM-dd HH:mm:ss.SSSSSS}. */
    TIMESTAMP,
    /** A local time with its UTC offset; written to files as ISO-8601 with the offset. */
    TIMESTAMP_TZ,
    /** A JSON boolean. */
    BOOLEAN
}
