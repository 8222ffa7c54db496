package dev.eventpipe.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.Rejection;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One line of a consumer's dead-letter records ({@code deadletter/records/...}): element {@code index}
 * of message {@code messageId} was rejected (with its reason) or, replayed from the dead-letter queue,
 * accepted. A message delivered twice writes the same key twice; the latest record of a key says what
 * became of it, so rejections are counted once whatever the queue or a killed consumer did. The writer
 * of these lines owns their reader: {@link #parse}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterRecord(@JsonProperty("message_id") String messageId, String index, String status, String reason,
                               String detail, String at) {

    public static final String REJECTED = "rejected";
    public static final String ACCEPTED = "accepted";

    private static final ObjectMapper JSON = new ObjectMapper();

    static DeadLetterRecord rejected(String messageId, String index, Rejection r, Instant at) {
        return new DeadLetterRecord(messageId, index, REJECTED, r.reason().code(), r.detail(), at.toString());
    }

    static DeadLetterRecord accepted(String messageId, String index, Instant at) {
        return new DeadLetterRecord(messageId, index, ACCEPTED, null, null, at.toString());
    }

    /** The key that names one rejected element across deliveries and replays. */
    public String key() {
        return messageId + "#" + index;
    }

    /** When the consumer received the element ({@code at}), or the epoch when unreadable. */
    public Instant time() {
        try {
            return Instant.parse(at);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    public boolean isRejected() {
        return REJECTED.equals(status);
    }

    byte[] toJsonLine() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one line. */
    public static DeadLetterRecord parse(String line) throws JsonProcessingException {
        return JSON.readValue(line, DeadLetterRecord.class);
    }
}
