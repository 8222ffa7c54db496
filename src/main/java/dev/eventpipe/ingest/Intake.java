package dev.eventpipe.ingest;

import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.event.RejectionReason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What one received message turns into, the same for the hosted consumer and the Lambda handler:
 * its valid events as file lines per event date (stamped with the queue's and the receiver's times),
 * its rejected parts with the identity they are dead-lettered and counted under (source message and
 * element; a replayed dead letter keeps the one it was first rejected under), and the dead-letter
 * records of those parts.
 */
public final class Intake {

    /** Bookkeeping per line in memory beyond its bytes. */
    static final int LINE_OVERHEAD = 48;

    /** A message's parts. {@code bytes} is what holding its lines costs in memory. */
    public record Parts(List<Writer.Line> events, List<Rejection> rejections, List<String[]> sources, List<Writer.Line> records,
                        List<RejectionReason> reasons, long bytes) {

        /** Lines still to be made durable before the message may be deleted. */
        public int lines() {
            return events.size() + records.size();
        }
    }

    private final EventCodec codec;

    public Intake(EventCodec codec) {
        this.codec = codec;
    }

    /** The parts of {@code m}, decoded as {@code d}, received at {@code now}. */
    public Parts parts(QueueMessage m, DecodedBody d, Instant now) {
        String replayOf = m.attributes().get(DeadLetter.SOURCE_MESSAGE);
        boolean replay = replayOf != null && !replayOf.equals("-");
        String sourceId = replay ? replayOf : m.messageId();
        String sourceIndex = m.attributes().getOrDefault(DeadLetter.SOURCE_INDEX, "0");
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);

        List<Writer.Line> events = new ArrayList<>(d.events().size());
        long bytes = 0;
        for (Event e : d.events()) {
            byte[] line = codec.toFileBytes(e.stamped(m.sentAt(), now));
            events.add(new Writer.Line(e.date(), line));
            bytes += line.length + LINE_OVERHEAD;
        }
        List<Rejection> rejections = d.rejections();
        List<String[]> sources = new ArrayList<>(rejections.size());
        List<Writer.Line> records = new ArrayList<>(rejections.size());
        List<RejectionReason> reasons = new ArrayList<>(rejections.size());
        for (Rejection r : rejections) {
            String idx = replay ? sourceIndex + (r.index() > 0 ? "." + r.index() : "") : Integer.toString(r.index());
            sources.add(new String[] {sourceId, idx});
            reasons.add(r.reason());
            byte[] rec = DeadLetterRecord.rejected(sourceId, idx, r, now).toJsonLine();
            records.add(new Writer.Line(today, rec));
            bytes += rec.length + LINE_OVERHEAD;
        }
        if (replay) {
            for (int i = 0; i < d.events().size(); i++) {
                byte[] rec = DeadLetterRecord.accepted(sourceId, sourceIndex + (i > 0 ? "." + i : ""), now).toJsonLine();
                records.add(new Writer.Line(today, rec));
                bytes += rec.length + LINE_OVERHEAD;
            }
        }
        return new Parts(events, rejections, sources, records, reasons, bytes);
    }
}
