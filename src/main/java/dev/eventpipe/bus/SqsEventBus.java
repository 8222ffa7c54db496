package dev.eventpipe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
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
    public static final String REASON_ATTRIBUTE = "eventpipe_reason";
    public static final String DETAIL_ATTRIBUTE = "eventpipe_detail";

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
        if (bodies.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " bodies per send, got " + bodies.size());
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
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
    public List<QueueMessage> receive(int max, Duration wait) {
        try {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl())
                    .maxNumberOfMessages(Math.min(max, MAX_BATCH))
                    .waitTimeSeconds((int) Math.min(20, wait.toSeconds()))
                    .visibilityTimeout(visibilityTimeout)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            List<QueueMessage> out = new ArrayList<>(messages.size());
            for (Message m : messages) {
                String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
                out.add(new QueueMessage(m.messageId(), m.body(), m.receiptHandle(), count == null ? 1 : Integer.parseInt(count)));
            }
            return out;
        } catch (SdkException e) {
            throw failure("receive from '" + queueName + "'", e);
        }
    }

    @Override
    public List<QueueMessage> delete(List<QueueMessage> messages) {
        List<QueueMessage> notDeleted = new ArrayList<>(0);
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            List<QueueMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_BATCH));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            try {
                DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl()).entries(entries));
                for (BatchResultErrorEntry f : r.failed()) {
                    QueueMessage m = chunk.get(Integer.parseInt(f.id()));
                    log.warn("Could not delete message '{}': {} {}", m.messageId(), f.code(), f.message());
                    notDeleted.add(m);
                }
            } catch (SdkException e) {
                throw failure("delete " + chunk.size() + " messages from '" + queueName + "'", e);
            }
        }
        return notDeleted;
    }

    @Override
    public void extendVisibility(List<QueueMessage> messages, Duration timeout) {
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            List<QueueMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_BATCH));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout((int) timeout.toSeconds()).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl()).entries(entries));
            } catch (SdkException e) {
                throw failure("extend the visibility of " + chunk.size() + " messages", e);
            }
        }
    }

    @Override
    public void deadLetter(Rejection rejection) {
        String body = sqsSafe(rejection.raw());
        String detail = rejection.detail().length() > 1024 ? rejection.detail().substring(0, 1024) : rejection.detail();
        try {
            sqs.sendMessage(b -> b.queueUrl(deadLetterUrl()).messageBody(body).messageAttributes(Map.of(
                    REASON_ATTRIBUTE, stringAttribute(rejection.reason().code()),
                    DETAIL_ATTRIBUTE, stringAttribute(detail))));
        } catch (SdkException e) {
            throw failure("send a rejected message to '" + deadLetterName + "'", e);
        }
    }

    /**
     * SQS takes bodies of at most 256 KiB of XML-legal characters. A rejected part of a pack may be
     * neither; then it goes to the dead-letter queue packed, which keeps every byte.
     */
    static String sqsSafe(String raw) {
        boolean ok = !raw.isEmpty() && raw.length() < 200_000;
        for (int i = 0; ok && i < raw.length(); i++) {
            char c = raw.charAt(i);
            ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xFFFD);
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1));
                i++;
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            }
        }
        return ok ? raw : EventCodec.pack(List.of(raw));
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
