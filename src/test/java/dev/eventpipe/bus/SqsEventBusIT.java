package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.QueueContents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsEventBusIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @Test
    void initCreatesBothQueuesWithTheRedrivePolicyAndIsIdempotent() throws Exception {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_AWS_SQS_MAX_RECEIVE_COUNT", "4");
        String name = env.get("EVENTPIPE_AWS_SQS_NAME");
        try (SqsEventBus bus = new SqsEventBus(queue.client(), ElasticMq.settings(env).aws())) {
            assertThat(bus.ensureQueues()).anySatisfy(l -> assertThat(l).contains("created"));
            assertThat(bus.ensureQueues()).containsExactly(
                    "dead-letter queue '" + name + "-dlq' unchanged", "queue '" + name + "' unchanged");
        }
        try (SqsClient sqs = queue.client()) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            Map<QueueAttributeName, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            JsonNode redrive = new ObjectMapper().readTree(attrs.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.path("deadLetterTargetArn").asText()).endsWith(":" + name + "-dlq");
            assertThat(redrive.path("maxReceiveCount").asText()).isEqualTo("4");
            assertThat(attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("120");
        }
    }

    @Test
    void initAppliesAChangedSettingToAnExistingQueue() {
        Map<String, String> env = queue.env();
        try (SqsEventBus bus = queue.bus(env)) {
            assertThat(bus.depth().mainEmpty()).isTrue();
        }
        env.put("EVENTPIPE_AWS_SQS_MAX_RECEIVE_COUNT", "2");
        try (SqsEventBus bus = new SqsEventBus(queue.client(), ElasticMq.settings(env).aws())) {
            assertThat(bus.ensureQueues().get(1)).contains("updated").contains("RedrivePolicy");
        }
    }

    @Test
    void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() throws Exception {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_AWS_SQS_MAX_RECEIVE_COUNT", "2");
        try (SqsEventBus bus = queue.bus(env); SqsClient sqs = queue.client()) {
            bus.send(List.of("{\"poison\":true}"));
            String url = sqs.getQueueUrl(b -> b.queueName(env.get("EVENTPIPE_AWS_SQS_NAME"))).queueUrl();
            // Received and never deleted, as when a consumer crashes on it: hidden for 1 s each time.
            for (int i = 1; i <= 2; i++) {
                List<Message> got = List.of();
                for (int attempt = 0; attempt < 5 && got.isEmpty(); attempt++) {
                    got = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(1).waitTimeSeconds(1)).messages();
                }
                assertThat(got).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("{\"poison\":true}"));
                Thread.sleep(1_200);
            }
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(1).waitTimeSeconds(1)).messages()).isEmpty();
            QueueDepth depth = bus.depth();
            assertThat(depth.mainEmpty()).isTrue();
            assertThat(depth.deadLetterVisible()).isEqualTo(1);
        }
    }

    @Test
    void deadLetterKeepsTheBodyAndAddsTheReason() {
        Map<String, String> env = queue.env();
        try (SqsEventBus bus = queue.bus(env); SqsClient sqs = queue.client()) {
            assertThat(bus.deadLetter(List.of(DeadLetter.of(new Rejection(RejectionReason.MISSING_FIELD, "missing field 'id'",
                    "{\"event\":\"x\"}", 2), "source-1", "2")))).isEmpty();
            List<Message> dead = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME") + "-dlq", 30);
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.body()).isEqualTo("{\"event\":\"x\"}");
                assertThat(m.messageAttributes().get(SqsEventBus.REASON_ATTRIBUTE).stringValue()).isEqualTo("missing_field");
                assertThat(m.messageAttributes().get(SqsEventBus.DETAIL_ATTRIBUTE).stringValue()).isEqualTo("missing field 'id'");
                assertThat(m.messageAttributes().get(DeadLetter.SOURCE_MESSAGE).stringValue()).isEqualTo("source-1");
                assertThat(m.messageAttributes().get(DeadLetter.SOURCE_INDEX).stringValue()).isEqualTo("2");
            });
        }
    }

    @Test
    void deadLettersGoInBatchesWithinSqsLimits() {
        Map<String, String> env = queue.env();
        try (SqsEventBus bus = queue.bus(env); SqsClient sqs = queue.client()) {
            List<DeadLetter> letters = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                // 25 letters of ~60 KB: at most 4 fit in one 256 KiB call, so the bus must split by bytes, not only by ten.
                letters.add(DeadLetter.of(new Rejection(RejectionReason.TOO_LARGE, "big", "x".repeat(60_000) + i, i), "s", Integer.toString(i)));
            }
            assertThat(bus.deadLetter(letters)).isEmpty();
            assertThat(QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME") + "-dlq", 60)).hasSize(25);
        }
    }

    @Test
    void peekedDeadLettersStayOnTheQueueAndReplayKeepsTheirSource() {
        Map<String, String> env = queue.env();
        try (SqsEventBus bus = queue.bus(env)) {
            bus.deadLetter(List.of(DeadLetter.of(new Rejection(RejectionReason.EMPTY, "blank", " ", 0), "m-9", "0")));
            List<QueueMessage> peeked = bus.peekDeadLetters(10, Duration.ofSeconds(30));
            assertThat(peeked).singleElement().satisfies(m -> assertThat(m.attributes()).containsEntry(DeadLetter.SOURCE_MESSAGE, "m-9"));
            bus.release(peeked);
            List<QueueMessage> again = bus.peekDeadLetters(10, Duration.ofSeconds(30));
            assertThat(again).hasSize(1);
            assertThat(bus.sendWithAttributes(List.of(again.get(0).body()), List.of(again.get(0).attributes())).failed()).isEmpty();
            assertThat(bus.deleteDeadLetters(again)).isEmpty();
            List<QueueMessage> replayed = bus.receive(10, Duration.ofSeconds(2));
            assertThat(replayed).singleElement().satisfies(m -> {
                assertThat(m.attributes()).containsEntry(DeadLetter.SOURCE_MESSAGE, "m-9").containsEntry(DeadLetter.SOURCE_INDEX, "0");
                assertThat(m.sentAt()).isNotNull();
            });
            assertThat(bus.depth().deadLetterVisible()).isZero();
        }
    }

    @Test
    void sendReceiveAndDeleteAcknowledgesOnlyWhatWasDeleted() {
        try (SqsEventBus bus = queue.bus(queue.env())) {
            SendResult sent = bus.send(List.of("a", "b", "c"));
            assertThat(sent.sent()).isEqualTo(3);
            assertThat(sent.failed()).isEmpty();
            List<QueueMessage> got = new java.util.ArrayList<>();
            while (got.size() < 3) {
                got.addAll(bus.receive(10, Duration.ofSeconds(1)));
            }
            assertThat(got).extracting(QueueMessage::receiveCount).containsOnly(1);
            assertThat(bus.depth().inFlight()).isEqualTo(3);
            assertThat(bus.delete(got.subList(0, 2))).isEmpty();
            QueueDepth depth = bus.depth();
            assertThat(depth.visible() + depth.inFlight()).isEqualTo(1);
        }
    }

    @Test
    void aMissingQueueSaysToRunInit() {
        Map<String, String> env = queue.env();
        try (SqsEventBus bus = new SqsEventBus(queue.client(), ElasticMq.settings(env).aws())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.send(List.of("x")))
                    .isInstanceOf(BusException.class)
                    .hasMessageContaining("does not exist; run 'eventpipe init' first")
                    .satisfies(e -> assertThat(((BusException) e).retriable()).isFalse());
        }
    }
}
