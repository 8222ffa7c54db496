package dev.eventpipe.testkit;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An emulation of what Lambda's SQS event source mapping does, not Lambda: receive up to
 * {@code batchSize} messages within the batching window, hand them to the handler as an
 * {@link SQSEvent} in this JVM, delete every message the handler did not report as a batch item
 * failure, and leave the failures to reappear after the visibility timeout.
 */
public final class EventSourceMappingEmulator {

    private final SqsClient sqs;
    private final String queueUrl;
    private final int batchSize;
    private final Duration window;
    private final int visibilitySeconds;

    public EventSourceMappingEmulator(SqsClient sqs, String queueUrl, int batchSize, Duration window, int visibilitySeconds) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.batchSize = batchSize;
        this.window = window;
        this.visibilitySeconds = visibilitySeconds;
    }

    /** One poll: the messages received (empty when none came in the window). */
    public List<Message> receive() {
        List<Message> got = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (got.size() < batchSize) {
            int want = Math.min(10, batchSize - got.size());
            List<Message> m = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(want).waitTimeSeconds(1)
                    .visibilityTimeout(visibilitySeconds).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            got.addAll(m);
            if (m.isEmpty() && System.nanoTime() > deadline) {
                break;
            }
        }
        return got;
    }

    /** The SQSEvent Lambda would build from {@code messages}. */
    public static SQSEvent event(List<Message> messages, String queueArn) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion("us-east-1");
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> ma = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(v.dataType());
                a.setStringValue(v.stringValue());
                ma.put(k, a);
            });
            r.setMessageAttributes(ma);
            records.add(r);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    /** Invokes the handler with {@code messages} and deletes all but its reported failures; returns the failures. */
    public Set<String> invoke(RequestHandler<SQSEvent, SQSBatchResponse> handler, List<Message> messages) {
        SQSBatchResponse r = handler.handleRequest(event(messages, "arn:aws:sqs:us-east-1:000000000000:emulated"), null);
        Set<String> failed = new HashSet<>();
        r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size())).receiptHandle(m.receiptHandle()).build());
                if (entries.size() == 10) {
                    List<DeleteMessageBatchRequestEntry> chunk = List.copyOf(entries);
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
                    entries.clear();
                }
            }
        }
        if (!entries.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
        return failed;
    }
}
