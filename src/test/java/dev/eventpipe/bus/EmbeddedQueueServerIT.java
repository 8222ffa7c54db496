package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.queue.OperationSuccessful$;
import org.elasticmq.actor.queue.QueueEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class EmbeddedQueueServerIT {

    @TempDir
    Path dir;

    @Test
    void keepsQueuesAndMessagesAcrossItsRestartWhenGivenADataFolder() {
        int port = EmbeddedQueueServer.freePort();
        AwsSettings aws = Settings.load(Path.of("none.ini"), false, Map.of(
                "EVENTPIPE_AWS_ENDPOINT", "embedded", "EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(port))).aws();
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, dir, "us-east-1");
             SqsEventBus bus = new SqsEventBus(SqsClients.create(aws, 2), aws)) {
            bus.ensureQueues();
            bus.send(List.of("one", "two"));
        }
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, dir, "us-east-1");
             SqsEventBus bus = new SqsEventBus(SqsClients.create(aws, 2), aws)) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 5 && bodies.size() < 2; i++) {
                bus.receive(10, Duration.ofSeconds(1)).forEach(m -> bodies.add(m.body()));
            }
            assertThat(bodies).containsExactlyInAnyOrder("one", "two");
        }
    }

    @Test
    void aMessageStoredWhileAConsumerReceivesItIsStoredWithoutErrorAndSurvivesARestart() throws Exception {
        int port = EmbeddedQueueServer.freePort();
        AwsSettings aws = Settings.load(Path.of("none.ini"), false, Map.of(
                "EVENTPIPE_AWS_ENDPOINT", "embedded", "EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(port))).aws();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, dir, "us-east-1");
                 SqsEventBus bus = new SqsEventBus(SqsClients.create(aws, 2), aws)) {
                bus.ensureQueues();
                bus.send(List.of("sent"));
                // What the queue hands its store when a long-polling consumer receives the message at that moment:
                // the receipt list counted one longer than what is written (seen about once in 30,000 messages).
                ActorRef queueEvents = server.queueEvents().orElseThrow();
                Object reply = Patterns.ask(queueEvents, new QueueEvent.MessageAdded(aws.sqsName(),
                                ConsistentQueueEventsTest.messageBeingReceived(UUID.randomUUID().toString(), "being received")),
                        Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
                assertThat(reply).isEqualTo(OperationSuccessful$.MODULE$);
            }
            assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();

            try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, dir, "us-east-1");
                 SqsEventBus bus = new SqsEventBus(SqsClients.create(aws, 2), aws)) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 5 && bodies.size() < 2; i++) {
                    bus.receive(10, Duration.ofSeconds(1)).forEach(m -> bodies.add(m.body()));
                }
                assertThat(bodies).containsExactlyInAnyOrder("sent", "being received");
            }
        } finally {
            root.detachAppender(logged);
        }
    }

    @Test
    void aTakenPortIsAClearError() {
        int port = EmbeddedQueueServer.freePort();
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, null, "us-east-1")) {
            assertThat(EmbeddedQueueServer.isListening(port)).isTrue();
            assertThatThrownBy(() -> EmbeddedQueueServer.start(port, null, "us-east-1"))
                    .hasMessageContaining("port " + port).hasMessageContaining("already in use");
        }
    }
}
