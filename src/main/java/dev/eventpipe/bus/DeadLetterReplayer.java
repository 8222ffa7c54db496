package dev.eventpipe.bus;

import dev.eventpipe.event.Utf8;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves dead letters back to the main queue, so events rejected by an older version are taken again
 * after an upgrade. Each message keeps its source (message id and element) as attributes: the consumer
 * records the replay under the identity of the first rejection, so a replayed event is counted once
 * whether it is accepted now or rejected again.
 *
 * <p>Everything, with no filter: the queue's own move task where the service has one (SQS, ElasticMQ).
 * Otherwise, and with a reason or a limit: receive, send, then delete, in that order, so a crash
 * duplicates (the loader drops the copy) rather than loses.
 */
public final class DeadLetterReplayer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final Duration HIDE = Duration.ofSeconds(120);

    /** What a replay did. */
    public record Result(long moved, long skipped, String how) {
    }

    private final EventBus bus;
    private final Function<String, Optional<String>> offloadedBody;

    /** @param offloadedBody reads the body a pointer dead letter names (a file store key), when it can */
    public DeadLetterReplayer(EventBus bus, Function<String, Optional<String>> offloadedBody) {
        this.bus = bus;
        this.offloadedBody = offloadedBody;
    }

    /**
     * Replays the dead letters of {@code reason} (null: all), at most {@code limit} (0: no limit).
     *
     * @param progress told the number moved so far
     */
    public Result replay(String reason, long limit, LongConsumer progress) {
        if (reason == null && limit == 0) {
            Optional<String> native_ = bus.moveAllDeadLetters(Duration.ofMinutes(30));
            if (native_.isPresent()) {
                return new Result(-1, 0, native_.get());
            }
        }
        long moved = 0;
        long skipped = 0;
        List<QueueMessage> notOurs = new ArrayList<>();
        try {
            while (limit == 0 || moved < limit) {
                List<QueueMessage> got = bus.peekDeadLetters(EventBus.MAX_BATCH, HIDE);
                if (got.isEmpty()) {
                    break;
                }
                List<QueueMessage> take = new ArrayList<>();
                List<String> bodies = new ArrayList<>();
                List<Map<String, String>> attributes = new ArrayList<>();
                for (QueueMessage m : got) {
                    String r = m.attributes().getOrDefault(DeadLetter.REASON, DeadLetterView.REDRIVEN);
                    if (reason != null && !reason.equals(r) || limit != 0 && moved + take.size() >= limit) {
                        notOurs.add(m);
                        continue;
                    }
                    String body = body(m);
                    if (body == null) {
                        skipped++;
                        notOurs.add(m);
                        continue;
                    }
                    take.add(m);
                    bodies.add(body);
                    attributes.add(sourceOf(m));
                }
                if (take.isEmpty()) {
                    continue;
                }
                SendResult sent = bus.sendWithAttributes(bodies, attributes);
                List<QueueMessage> done = new ArrayList<>(take);
                for (SendResult.Failure f : sent.failed()) {
                    log.warn("dlq: the queue refused a replayed message: {} {}", f.code(), f.message());
                    notOurs.add(take.get(f.index()));
                    done.remove(take.get(f.index()));
                    skipped++;
                }
                List<QueueMessage> notDeleted = bus.deleteDeadLetters(done);
                moved += done.size() - notDeleted.size();
                progress.accept(moved);
            }
        } finally {
            bus.release(notOurs);
        }
        return new Result(moved, skipped, "moved one by one (receive, send, delete)");
    }

    /** Only the source travels with a replayed message: its reason and detail were the old version's. */
    private static Map<String, String> sourceOf(QueueMessage m) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(DeadLetter.SOURCE_MESSAGE, m.attributes().getOrDefault(DeadLetter.SOURCE_MESSAGE, m.messageId()));
        a.put(DeadLetter.SOURCE_INDEX, m.attributes().getOrDefault(DeadLetter.SOURCE_INDEX, "0"));
        return a;
    }

    /** The body to replay: the message's own, or the one a pointer names; null when it cannot go on the queue. */
    private String body(QueueMessage m) {
        String key = m.attributes().get(DeadLetter.BODY_KEY);
        if (key == null) {
            return m.body();
        }
        Optional<String> body = offloadedBody.apply(key);
        if (body.isEmpty()) {
            log.warn("dlq: the body of dead letter '{}' is not in the file store at '{}'; left on the dead-letter queue", m.messageId(), key);
            return null;
        }
        if (Utf8.encodeLossless(body.get()).length > DeadLetter.MAX_MESSAGE_BYTES - 512) {
            log.warn("dlq: the body of dead letter '{}' ({}) is larger than a queue message; left on the dead-letter queue",
                    m.messageId(), key);
            return null;
        }
        return body.get();
    }
}
