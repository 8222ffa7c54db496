package dev.eventpipe.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a cold Lambda does, in a fresh JVM of the Lambda artifact: initialise the handler from the
 * environment, then one invocation with the {@link SQSEvent} in the file given. Prints the JVM start,
 * init and invocation times in milliseconds, for {@code eventpipe bench lambda}. The file holds one
 * message body per line; the event is built as Lambda's event source mapping builds it.
 */
public final class ColdStart {

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        SqsBatchHandler handler = new SqsBatchHandler();
        long t1 = System.currentTimeMillis();
        SQSEvent event = event(Files.readAllLines(Path.of(args[0])));
        long t2 = System.currentTimeMillis();
        SQSBatchResponse r = handler.handleRequest(event, null);
        long t3 = System.currentTimeMillis();
        System.out.printf("coldstart jvm_ms=%d init_ms=%d invoke_ms=%d total_ms=%d failures=%d%n",
                t0 - jvmStart, t1 - t0, t3 - t2, (t1 - jvmStart) + (t3 - t2), r.getBatchItemFailures().size());
    }

    /** An SQS event of these bodies, each a message with its own id and the time it was queued. */
    static SQSEvent event(List<String> bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(bodies.size());
        long now = System.currentTimeMillis();
        for (String body : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(UUID.randomUUID().toString());
            m.setReceiptHandle("cold-start-" + m.getMessageId());
            m.setBody(body);
            m.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(now)));
            m.setMessageAttributes(Map.of());
            m.setEventSource("aws:sqs");
            records.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }
}
