package dev.eventpipe.bus;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.eventpipe.event.Details;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.event.Utf8;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rejected event on its way to the dead-letter queue: the body as it arrived, its reason and
 * detail, and where it came from (source message id and element index), so a redelivered message's
 * rejections are recognised as the same ones, however often they are sent.
 *
 * @param body    what goes on the queue: the raw text, packed when SQS would refuse its characters,
 *                or a pointer to the file store when it does not fit in a message
 * @param bodyKey the file store key holding the raw text when the body is a pointer, else null
 */
public record DeadLetter(String body, RejectionReason reason, String detail, String sourceMessageId, String sourceIndex,
                         String bodyKey) {

    /** Attribute names on dead-lettered messages. */
    public static final String REASON = "eventpipe_reason";
    public static final String DETAIL = "eventpipe_detail";
    public static final String SOURCE_MESSAGE = "eventpipe_source_message";
    public static final String SOURCE_INDEX = "eventpipe_source_index";
    public static final String BODY_KEY = "eventpipe_body_key";

    /** SQS's limit on one message: body and attributes (names, types and values) together. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final int MAX_DETAIL = 1024;

    public DeadLetter {
        // Details quote client text already made safe; this guards the attribute against anything else.
        String safe = detail == null || detail.isEmpty() ? "-" : Details.escape(detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
        detail = safe;
    }

    /**
     * The dead letter of {@code r}, element {@code r.index()} of message {@code sourceMessageId}
     * (for a replayed message, the id and index it first came with: {@code sourceIndex} then names both).
     */
    public static DeadLetter of(Rejection r, String sourceMessageId, String sourceIndex) {
        return new DeadLetter(safeBody(r.raw()), r.reason(), r.detail(), sourceMessageId, sourceIndex, null);
    }

    /** Whether the message fits in SQS with its attributes. */
    public boolean fits() {
        return sqsBytes() <= MAX_MESSAGE_BYTES;
    }

    /** The bytes SQS counts against its limit: the body and each attribute's name, type and value. */
    public int sqsBytes() {
        int n = EventCodec.utf8Length(body);
        for (Map.Entry<String, String> a : attributes().entrySet()) {
            n += a.getKey().length() + "String".length() + EventCodec.utf8Length(a.getValue());
        }
        return n;
    }

    /** This dead letter with its body moved to the file store at {@code key} ({@code location} says where, for people). */
    public DeadLetter offloaded(String key, String location, long bytes) {
        String pointer = "{\"eventpipe_dead_letter_body\":\"" + jsonEscape(location) + "\",\"key\":\"" + jsonEscape(key)
                + "\",\"bytes\":" + bytes + ",\"reason\":\"" + reason.code() + "\"}";
        return new DeadLetter(pointer, reason, detail, sourceMessageId, sourceIndex, key);
    }

    /** The raw text as bytes for the file store, every UTF-16 unit kept. */
    public static byte[] rawBytes(Rejection r) {
        return Utf8.encodeLossless(r.raw());
    }

    /** The message attributes, in a stable order. */
    public Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(REASON, reason.code());
        a.put(DETAIL, detail);
        a.put(SOURCE_MESSAGE, sourceMessageId == null || sourceMessageId.isEmpty() ? "-" : sourceMessageId);
        a.put(SOURCE_INDEX, sourceIndex == null || sourceIndex.isEmpty() ? "0" : sourceIndex);
        if (bodyKey != null) {
            a.put(BODY_KEY, bodyKey);
        }
        return a;
    }

    /**
     * SQS takes bodies of 1 or more XML-legal characters. A rejected text that is not (control
     * characters, an unpaired surrogate, empty) goes packed, which keeps every unit of it.
     */
    static String safeBody(String raw) {
        boolean ok = !raw.isEmpty();
        for (int i = 0; ok && i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1));
                i++;
            } else {
                ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xFFFD && !Character.isLowSurrogate(c));
            }
        }
        return ok ? raw : EventCodec.packBytes(List.of(Utf8.encodeLossless(raw)));
    }

    private static String jsonEscape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
