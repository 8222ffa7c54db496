package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aTakenPortIsAClearError() {
        int port = EmbeddedQueueServer.freePort();
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, null, "us-east-1")) {
            assertThat(EmbeddedQueueServer.isListening(port)).isTrue();
            assertThatThrownBy(() -> EmbeddedQueueServer.start(port, null, "us-east-1"))
                    .hasMessageContaining("port " + port).hasMessageContaining("already in use");
        }
    }
}
