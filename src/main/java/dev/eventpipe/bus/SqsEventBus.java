package dev.eventpipe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.config.AwsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** {@link EventBus} on Amazon SQS, or any server that speaks its protocol (ElasticMQ), through the AWS SDK v2. */
public final class SqsEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(SqsEventBus.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attribute names on dead-lettered messages. */
    public static final String REASON_ATTRIBUTE = DeadLetter.REASON;
    public static final String DETAIL_ATTRIBUTE = DeadLetter.DETAIL;

    private final SqsClient sqs;
    private final String queueName;
    private final String deadLetterName;
    private final int maxReceiveCount;
    private final int visibilityTimeout;
    private volatile String queueUrl;
    private volatile String deadLetterUrl;

    public SqsEventBus(SqsClient sqs, AwsSettings aws) {
        this.sqs = sqs;
        this.queueName = aws.sqsName();
        this.deadLetterName = aws.sqsDeadLetterName();
        this.maxReceiveCount = aws.sqsMaxReceiveCount();
        this.visibilityTimeout = aws.sqsVisibilityTimeout();
    }

    @Override
    public List<String> ensureQueues() {
        try {
            List<String> done = new ArrayList<>();
            String dlqUrl = existingUrl(deadLetterName);
            if (dlqUrl == null) {
                dlqUrl = sqs.createQueue(b -> b.queueName(deadLetterName)
                        .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"))).queueUrl();
                done.add("dead-letter queue '" + deadLetterName + "' created");
            } else {
                done.add("dead-letter queue '" + deadLetterName + "' unchanged");
            }
            deadLetterUrl = dlqUrl;
            String finalDlqUrl = dlqUrl;
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(finalDlqUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            Map<QueueAttributeName, String> wanted = Map.of(
                    QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlqArn),
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeout));
            String url = existingUrl(queueName);
            if (url == null) {
                url = sqs.createQueue(b -> b.queueName(queueName).attributes(wanted)).queueUrl();
                done.add("queue '" + queueName + "' created (visibility timeout " + visibilityTimeout
                        + " s, dead-letter after " + maxReceiveCount + " receives)");
            } else {
                String u = url;
                Map<QueueAttributeName, String> current = sqs.getQueueAttributes(b -> b.queueUrl(u)
                        .attributeNames(QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.VISIBILITY_TIMEOUT)).attributes();
                Map<QueueAttributeName, String> changes = new HashMap<>();
                if (!sameRedrive(current.get(QueueAttributeName.REDRIVE_POLICY), dlqArn)) {
                    changes.put(QueueAttributeName.REDRIVE_POLICY, wanted.get(QueueAttributeName.REDRIVE_POLICY));
                }
                if (!wanted.get(QueueAttributeName.VISIBILITY_TIMEOUT).equals(current.get(QueueAttributeName.VISIBILITY_TIMEOUT))) {
                    changes.put(QueueAttributeName.VISIBILITY_TIMEOUT, wanted.get(QueueAttributeName.VISIBILITY_TIMEOUT));
                }
                if (changes.isEmpty()) {
                    done.add("queue '" + queueName + "' unchanged");
                } else {
                    sqs.setQueueAttributes(b -> b.queueUrl(u).attributes(changes));
                    done.add("queue '" + queueName + "' updated: " + changes.keySet());
                }
            }
            queueUrl = url;
            return done;
        } catch (SdkException e) {
            throw failure("set up queues '" + queueName + "' and '" + deadLetterName + "'", e);
        }
    }

    private String redrivePolicy(String dlqArn) {
        return JSON.createObjectNode()
                .put("deadLetterTargetArn", dlqArn)
                .put("maxReceiveCount", Integer.toString(maxReceiveCount))
                .toString();
    }

    private boolean sameRedrive(String current, String dlqArn) {
        if (current == null || current.isEmpty()) {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(current);
            return dlqArn.equals(n.path("deadLetterTargetArn").asText())
                    && Integer.toString(maxReceiveCount).equals(n.path("maxReceiveCount").asText());
        } catch (Exception e) {
            return false;
        }
    }

    private String existingUrl(String name) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            return null;
        }
    }

    private String queueUrl() {
        String url = queueUrl;
        if (url == null) {
            url = resolve(queueName);
            queueUrl = url;
        }
        return url;
    }

    private String deadLetterUrl() {
        String url = deadLetterUrl;
        if (url == null) {
            url = resolve(deadLetterName);
            deadLetterUrl = url;
        }
        return url;
    }

    private String resolve(String name) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new BusException("queue '" + name + "' does not exist; run 'eventpipe init' first", false, e);
        } catch (SdkException e) {
            throw failure("find queue '" + name + "'", e);
        }
    }

    @Override
    public SendResult send(List<String> bodies) {
        if (bodies.isEmpty()) {
            return new SendResult(0, List.of());
        }
        return sendWithAttributes(bodies, java.util.Collections.nCopies(bodies.size(), Map.of()));
    }

    @Override
    public List<QueueMessage> receive(int max, Duration wait) {
        try {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl())
                    .maxNumberOfMessages(Math.min(max, MAX_BATCH))
                    .waitTimeSeconds((int) Math.min(20, wait.toSeconds()))
                    .visibilityTimeout(visibilityTimeout)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, MessageSystemAttributeName.SENT_TIMESTAMP)
                    .messageAttributeNames("All")).messages();
            return received(messages);
        } catch (SdkException e) {
            throw failure("receive from '" + queueName + "'", e);
        }
    }

    private static List<QueueMessage> received(List<Message> messages) {
        List<QueueMessage> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
            String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                if (v.stringValue() != null) {
                    attributes.put(k, v.stringValue());
                }
            });
            out.add(new QueueMessage(m.messageId(), m.body(), m.receiptHandle(), count == null ? 1 : Integer.parseInt(count),
                    sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)), attributes));
        }
        return out;
    }

    @Override
    public List<QueueMessage> delete(List<QueueMessage> messages) {
        return delete(queueUrl(), queueName, messages);
    }

    private List<QueueMessage> delete(String url, String name, List<QueueMessage> messages) {
        List<QueueMessage> notDeleted = new ArrayList<>(0);
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            List<QueueMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_BATCH));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            try {
                DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
                for (BatchResultErrorEntry f : r.failed()) {
                    QueueMessage m = chunk.get(Integer.parseInt(f.id()));
                    log.warn("Could not delete message '{}': {} {}", m.messageId(), f.code(), f.message());
                    notDeleted.add(m);
                }
            } catch (SdkException e) {
                throw failure("delete " + chunk.size() + " messages from '" + name + "'", e);
            }
        }
        return notDeleted;
    }

    @Override
    public void extendVisibility(List<QueueMessage> messages, Duration timeout) {
        changeVisibility(queueUrl(), messages, timeout);
    }

    private void changeVisibility(String url, List<QueueMessage> messages, Duration timeout) {
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            List<QueueMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_BATCH));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout((int) timeout.toSeconds()).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
            } catch (SdkException e) {
                throw failure("extend the visibility of " + chunk.size() + " messages", e);
            }
        }
    }

    @Override
    public List<DeadLetter> deadLetter(List<DeadLetter> letters) {
        List<DeadLetter> refused = new ArrayList<>(0);
        int from = 0;
        while (from < letters.size()) {
            // As many as fit in one call: 10 messages and 256 KiB in all.
            int to = from;
            int bytes = 0;
            while (to < letters.size() && to - from < MAX_BATCH && bytes + letters.get(to).sqsBytes() <= MAX_BATCH_BYTES) {
                bytes += letters.get(to).sqsBytes();
                to++;
            }
            if (to == from) {
                throw new IllegalArgumentException("a dead letter of " + letters.get(from).sqsBytes() + " bytes does not fit in a message");
            }
            List<DeadLetter> chunk = letters.subList(from, to);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i).body())
                        .messageAttributes(stringAttributes(chunk.get(i).attributes())).build());
            }
            try {
                SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(deadLetterUrl()).entries(entries));
                for (BatchResultErrorEntry f : r.failed()) {
                    log.warn("The dead-letter queue refused a message: {} {}", f.code(), f.message());
                    refused.add(chunk.get(Integer.parseInt(f.id())));
                }
            } catch (SdkException e) {
                throw failure("send " + chunk.size() + " rejected events to '" + deadLetterName + "'", e);
            }
            from = to;
        }
        return refused;
    }

    private static Map<String, MessageAttributeValue> stringAttributes(Map<String, String> attributes) {
        Map<String, MessageAttributeValue> out = new HashMap<>();
        attributes.forEach((k, v) -> out.put(k, stringAttribute(v)));
        return out;
    }

    @Override
    public List<QueueMessage> peekDeadLetters(int max, Duration hide) {
        List<QueueMessage> out = new ArrayList<>();
        try {
            while (out.size() < max) {
                int want = Math.min(MAX_BATCH, max - out.size());
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(deadLetterUrl()).maxNumberOfMessages(want)
                        .waitTimeSeconds(1).visibilityTimeout((int) Math.max(1, hide.toSeconds()))
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP)
                        .messageAttributeNames("All")).messages();
                if (got.isEmpty()) {
                    break;
                }
                out.addAll(received(got));
            }
            return out;
        } catch (SdkException e) {
            release(out);
            throw failure("read the dead-letter queue '" + deadLetterName + "'", e);
        }
    }

    @Override
    public void release(List<QueueMessage> deadLetters) {
        if (!deadLetters.isEmpty()) {
            changeVisibility(deadLetterUrl(), deadLetters, Duration.ZERO);
        }
    }

    @Override
    public List<QueueMessage> deleteDeadLetters(List<QueueMessage> deadLetters) {
        return delete(deadLetterUrl(), deadLetterName, deadLetters);
    }

    @Override
    public SendResult sendWithAttributes(List<String> bodies, List<Map<String, String>> attributes) {
        if (bodies.size() > MAX_BATCH || bodies.size() != attributes.size()) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " bodies, each with its attributes");
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i));
            if (!attributes.get(i).isEmpty()) {
                e.messageAttributes(stringAttributes(attributes.get(i)));
            }
            entries.add(e.build());
        }
        try {
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl()).entries(entries));
            List<SendResult.Failure> failed = new ArrayList<>(r.failed().size());
            for (BatchResultErrorEntry f : r.failed()) {
                failed.add(new SendResult.Failure(Integer.parseInt(f.id()), f.code(), f.message()));
            }
            return new SendResult(r.successful().size(), failed);
        } catch (SdkException e) {
            throw failure("send " + bodies.size() + " messages to '" + queueName + "'", e);
        }
    }

    @Override
    public Optional<String> moveAllDeadLetters(Duration atMost) {
        String source = arn(deadLetterUrl());
        String target = arn(queueUrl());
        String handle;
        try {
            handle = sqs.startMessageMoveTask(b -> b.sourceArn(source).destinationArn(target)).taskHandle();
        } catch (SqsException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (e.statusCode() == 400 && (code.contains("Unsupported") || code.contains("InvalidAction") || code.contains("UnknownOperation"))) {
                return Optional.empty();
            }
            throw failure("start moving the dead letters of '" + deadLetterName + "' back to '" + queueName + "'", e);
        } catch (SdkException e) {
            throw failure("start moving the dead letters of '" + deadLetterName + "' back to '" + queueName + "'", e);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            while (true) {
                List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(source).maxResults(10)).results();
                for (ListMessageMoveTasksResultEntry t : tasks) {
                    if (handle.equals(t.taskHandle()) || tasks.size() == 1) {
                        String status = String.valueOf(t.status());
                        if ("COMPLETED".equals(status)) {
                            return Optional.of("moved " + t.approximateNumberOfMessagesMoved() + " messages with the queue's own move task");
                        }
                        if ("FAILED".equals(status) || "CANCELLED".equals(status)) {
                            throw new BusException("the move task of '" + deadLetterName + "' ended " + status + ": " + t.failureReason()
                                    + " (" + t.approximateNumberOfMessagesMoved() + " moved)", false, null);
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new BusException("the move task of '" + deadLetterName + "' did not finish in " + atMost.toSeconds() + " s", true, null);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException("interrupted while moving dead letters", true, e);
        } catch (SdkException e) {
            throw failure("follow the move task of '" + deadLetterName + "'", e);
        }
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value.isEmpty() ? "-" : value).build();
    }

    @Override
    public QueueDepth depth() {
        try {
            Map<QueueAttributeName, String> main = counts(queueUrl());
            Map<QueueAttributeName, String> dead = counts(deadLetterUrl());
            return new QueueDepth(
                    number(main.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    number(main.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                    number(dead.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    number(dead.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
        } catch (SdkException e) {
            throw failure("read the depth of '" + queueName + "'", e);
        }
    }

    private Map<QueueAttributeName, String> counts(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    /** The one place that decides whether a failed call may succeed if tried again later. */
    static BusException failure(String what, SdkException e) {
        boolean retriable;
        if (e instanceof QueueDoesNotExistException) {
            retriable = false;
        } else if (e instanceof SqsException s) {
            retriable = s.statusCode() >= 500 || s.isThrottlingException();
        } else {
            retriable = e instanceof SdkClientException;
        }
        String cause = e instanceof SqsException s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                : rootMessage(e);
        return new BusException("could not " + what + ": " + cause, retriable, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return e == t ? m : e.getMessage() == null ? m : firstLine(e.getMessage()) + " (" + m + ")";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        sqs.close();
    }
}
