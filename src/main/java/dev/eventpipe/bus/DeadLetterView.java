package dev.eventpipe.bus;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What is on the dead-letter queue, grouped by reason, read without consuming it: messages are peeked
 * (hidden while the pass reads on, so none is read twice) and released at the end. Copies of one
 * rejection (a redelivered message dead-lettered twice) are counted once, by their source message
 * and element; messages the redrive policy moved there (no eventpipe reason) are counted apart.
 *
 * @param read        messages read
 * @param approximate the queue's own count, which also holds what was not read
 * @param byReason    distinct rejections per reason
 * @param copies      messages that repeat a rejection already counted
 * @param samples     one detail per reason
 */
public record DeadLetterView(long read, long approximate, @JsonProperty("by_reason") Map<String, Long> byReason, long copies,
                             @JsonProperty("redriven") long redriven, Map<String, String> samples) {

    /** The reason shown for messages the queue's redrive policy moved (they failed too often, with no eventpipe reason). */
    public static final String REDRIVEN = "redrive_policy";

    /** Reads up to {@code limit} dead letters and releases them. */
    public static DeadLetterView read(EventBus bus, int limit) {
        long approximate;
        QueueDepth d = bus.depth();
        approximate = d.deadLetterVisible() + d.deadLetterInFlight();
        List<QueueMessage> peeked = bus.peekDeadLetters(limit, Duration.ofSeconds(Math.max(30, limit / 200)));
        try {
            Map<String, Long> byReason = new TreeMap<>();
            Map<String, String> samples = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            long copies = 0;
            long redriven = 0;
            for (QueueMessage m : peeked) {
                String reason = m.attributes().get(DeadLetter.REASON);
                if (reason == null) {
                    redriven++;
                    byReason.merge(REDRIVEN, 1L, Long::sum);
                    samples.putIfAbsent(REDRIVEN, "delivered " + m.receiveCount() + " times without being deleted");
                    continue;
                }
                String key = m.attributes().getOrDefault(DeadLetter.SOURCE_MESSAGE, m.messageId()) + "#"
                        + m.attributes().getOrDefault(DeadLetter.SOURCE_INDEX, "0");
                if (!seen.add(key)) {
                    copies++;
                    continue;
                }
                byReason.merge(reason, 1L, Long::sum);
                samples.putIfAbsent(reason, m.attributes().getOrDefault(DeadLetter.DETAIL, ""));
            }
            return new DeadLetterView(peeked.size(), approximate, byReason, copies, redriven, samples);
        } finally {
            bus.release(peeked);
        }
    }

    /** Distinct rejections read, redriven messages included. */
    public long distinct() {
        return byReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
