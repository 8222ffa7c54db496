package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.QueueContents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class GenerateIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private static final String NO_FILE = CliRun.emptySettings();
    private final EventCodec codec = new EventCodec(32_768);

    private Map<String, String> initialized() {
        Map<String, String> env = queue.env();
        CliRun init = CliRun.run(env, "--config", NO_FILE, "init");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("created");
        return env;
    }

    private JsonNode summary(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void initTwiceChangesNothing() {
        Map<String, String> env = initialized();
        CliRun again = CliRun.run(env, "--config", NO_FILE, "init");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("unchanged").doesNotContain("created").doesNotContain("updated");
    }

    @Test
    void generateCountPutsExactlyThatManyMessagesOnTheQueue() throws Exception {
        Map<String, String> env = initialized();
        Path json = dir.resolve("summary.json");
        CliRun r = CliRun.run(env, "--config", NO_FILE, "generate", "--count", "5000", "--rate", "0",
                "--summary-json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("generate: 5000 events sent in 5000 messages, 0 failed");
        JsonNode s = summary(json);
        assertThat(s.get("sent").asLong()).isEqualTo(5000);
        assertThat(s.get("failed").asLong()).isZero();
        assertThat(s.get("faults").get("duplicate").asLong()).isZero();
        try (SqsClient sqs = queue.client()) {
            List<Message> messages = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME"), 300);
            assertThat(messages).hasSize(5000);
            Set<String> ids = new HashSet<>();
            for (Message m : messages) {
                DecodedBody d = codec.decode(m.body());
                assertThat(d.rejections()).isEmpty();
                d.events().forEach(e -> ids.add(e.id()));
            }
            assertThat(ids).hasSize(5000);
        }
    }

    @Test
    void everyFaultKindIsProducedAtAboutItsRateAndTheSummaryMatchesTheQueue() throws Exception {
        Map<String, String> env = initialized();
        env.put("EVENTPIPE_EVENTS_MAX_EVENT_BYTES", "4096");
        Path json = dir.resolve("faults.json");
        int count = 20_000;
        CliRun r = CliRun.run(env, "--config", NO_FILE, "generate", "--count", Integer.toString(count), "--rate", "0",
                "--faults", "duplicate=0.05,malformed=0.03,late=0.05,oversize=0.01", "--summary-json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = summary(json);
        assertThat(s.get("sent").asLong()).isEqualTo(count);
        JsonNode f = s.get("faults");
        assertThat(f.get("duplicate").asDouble() / count).isCloseTo(0.05, within(0.01));
        assertThat(f.get("malformed").asDouble() / count).isCloseTo(0.03, within(0.008));
        assertThat(f.get("late").asDouble() / count).isCloseTo(0.05, within(0.01));
        assertThat(f.get("oversize").asDouble() / count).isCloseTo(0.01, within(0.004));
        JsonNode byReason = s.get("malformed_by_reason");
        assertThat(byReason.size()).isEqualTo(6);
        byReason.forEach(n -> assertThat(n.asLong()).as("each malformed reason").isGreaterThan(50));

        // What is on the queue agrees with the summary, reason by reason.
        Map<String, Long> rejected = new HashMap<>();
        Set<String> ids = new HashSet<>();
        long valid = 0;
        long late = 0;
        Instant dayAgo = Instant.now().minus(Duration.ofHours(23));
        EventCodec codec = new EventCodec(4096);
        try (SqsClient sqs = queue.client()) {
            List<Message> messages = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME"), 300);
            assertThat(messages).hasSize(count);
            for (Message m : messages) {
                DecodedBody d = codec.decode(m.body());
                for (Rejection rej : d.rejections()) {
                    rejected.merge(rej.reason().code(), 1L, Long::sum);
                }
                for (Event e : d.events()) {
                    valid++;
                    ids.add(e.id());
                    if (e.timestamp().isBefore(dayAgo)) {
                        late++;
                    }
                }
            }
        }
        byReason.fields().forEachRemaining(e -> assertThat(rejected.getOrDefault(e.getKey(), 0L))
                .as(e.getKey()).isEqualTo(e.getValue().asLong()));
        assertThat(rejected.getOrDefault("too_large", 0L)).isEqualTo(f.get("oversize").asLong());
        assertThat(valid - ids.size()).isEqualTo(f.get("duplicate").asLong());
        assertThat((long) ids.size()).isEqualTo(count - f.get("duplicate").asLong() - f.get("malformed").asLong()
                - f.get("oversize").asLong());
        assertThat(late).isGreaterThanOrEqualTo(f.get("late").asLong());
    }

    @Test
    void theQueueGetsThePrototypesBodiesByDefaultAndEventpipesOnRequest() throws Exception {
        Map<String, String> env = initialized();
        CliRun r = CliRun.run(env, "--config", NO_FILE, "generate", "--count", "300", "--rate", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        try (SqsClient sqs = queue.client()) {
            List<Message> messages = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME"), 300);
            assertThat(messages).hasSize(300);
            List<JsonNode> bodies = new ArrayList<>();
            for (Message m : messages) {
                assertThat(m.body()).startsWith("{\"id\": \"");
                bodies.add(json.readTree(m.body()));
            }
            assertThat(bodies).allSatisfy(b -> {
                assertThat(b.get("original_timestamp").textValue()).matches("\\d{4}-\\d{2}-\\d{2} [0-9:]{8}\\.\\d{6}[+-]\\d{4}");
                assertThat(b.get("timestamp").textValue()).matches("\\d{4}-\\d{2}-\\d{2} [0-9:]{8}\\.\\d{6}");
                assertThat(b.has("context_traits_taxfix_language")).isTrue();
                assertThat(b.has("screen_name")).isFalse();
            });
            assertThat(bodies).anySatisfy(b -> assertThat(b.has("context_device_token") && b.get("context_device_token").isNull()).isTrue());
        }

        Map<String, String> other = initialized();
        CliRun rich = CliRun.run(other, "--config", NO_FILE, "generate", "--count", "300", "--rate", "0", "--format", "eventpipe");
        assertThat(rich.exitCode()).as(rich.err()).isZero();
        try (SqsClient sqs = queue.client()) {
            List<Message> messages = QueueContents.drainView(sqs, other.get("EVENTPIPE_AWS_SQS_NAME"), 300);
            assertThat(messages).anySatisfy(m -> assertThat(m.body()).contains("\"screen_name\":"));
        }

        CliRun bad = CliRun.run(env, "--config", NO_FILE, "generate", "--count", "1", "--format", "segment");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown format 'segment'").contains("prototype, eventpipe");
    }

    @Test
    void packedMessagesCarryManyEventsEach() throws Exception {
        Map<String, String> env = initialized();
        CliRun r = CliRun.run(env, "--config", NO_FILE, "generate", "--count", "1000", "--rate", "0", "--pack", "50");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1000 events sent in 20 messages");
        try (SqsClient sqs = queue.client()) {
            List<Message> messages = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME"), 300);
            assertThat(messages).hasSize(20);
            assertThat(messages).allSatisfy(m -> assertThat(m.body()).startsWith("H4sI"));
            assertThat(messages.stream().mapToInt(m -> codec.decode(m.body()).events().size()).sum()).isEqualTo(1000);
        }
    }

    @Test
    void aFixedRateIsHeld() throws Exception {
        Map<String, String> env = initialized();
        Path json = dir.resolve("rate.json");
        CliRun r = CliRun.run(env, "--config", NO_FILE, "generate", "--rate", "300", "--duration", "4s",
                "--summary-json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = summary(json);
        assertThat(s.get("sent").asLong()).isEqualTo(1200);
        // Pacing holds (unpaced, it would be thousands per second); its precision is bench generate's to measure.
        assertThat(s.get("events_per_sec").asDouble()).isCloseTo(300, within(30.0));
    }
}
