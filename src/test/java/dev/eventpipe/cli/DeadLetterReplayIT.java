package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.bus.SqsEventBus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events an older setting rejected are dead-lettered with their reason; status calls the pipeline
 * unhealthy; {@code dlq} shows them; {@code dlq replay} sends them back and a consumer with the right
 * setting takes them: nothing lost, nothing doubled, and status reconciles afterwards.
 */
class DeadLetterReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "1");
        return env;
    }

    private static CliRun cli(Map<String, String> env, String... args) {
        return CliRun.onDefaults(env, args);
    }

    @Test
    void deadLetteredEventsAreReplayedOnceAndTheCountsReconcile() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        // Events of about 1.5 KB, which an old setting ([events] max_event_bytes = 1024) refuses as too large.
        List<String> ids = new ArrayList<>();
        try (SqsEventBus bus = queue.bus(env)) {
            for (int from = 0; from < 300; from += 10) {
                List<String> bodies = new ArrayList<>();
                for (int i = from; i < from + 10; i++) {
                    ids.add("big-" + i);
                    bodies.add("{\"id\":\"big-" + i + "\",\"anonymous_id\":\"a\",\"event\":\"e\",\"timestamp\":\"2026-11-25 10:00:00\","
                            + "\"sent_at\":\"2026-11-25 10:00:01\",\"received_at\":\"2026-11-25 10:00:02\",\"context_device_type\":\"ios\","
                            + "\"note\":\"" + "n".repeat(1_300) + "\"}");
                }
                assertThat(bus.send(bodies).failed()).isEmpty();
            }
        }
        Map<String, String> strict = new java.util.HashMap<>(env);
        strict.put("EVENTPIPE_EVENTS_MAX_EVENT_BYTES", "1024");
        CliRun first = cli(strict, "consume", "--until-empty");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("0 valid events", "300 rejected (too_large 300)");

        CliRun unhealthy = cli(env, "status");
        assertThat(unhealthy.exitCode()).as(unhealthy.out()).isEqualTo(1);
        assertThat(unhealthy.out()).contains("health     UNHEALTHY: 300 of 300 events received in the last 60 min were rejected (100.0%")
                .contains("too_large 300 (e.g. event is ");

        CliRun dlq = cli(env, "dlq");
        assertThat(dlq.exitCode()).as(dlq.err()).isZero();
        assertThat(dlq.out()).contains("300 distinct rejections").containsPattern("too_large +300 +e\\.g\\. event is \\d+ bytes, more than 1024");
        CliRun dlqAgain = cli(env, "dlq", "--json");
        assertThat(JSON.readTree(dlqAgain.out()).path("by_reason").path("too_large").asLong()).as("dlq reads without consuming").isEqualTo(300);

        CliRun replay = cli(env, "dlq", "replay", "--reason", "too_large");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("300 messages moved back to '" + env.get("EVENTPIPE_AWS_SQS_NAME") + "'");

        CliRun second = cli(env, "consume", "--until-empty");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("300 valid events", "0 rejected");
        assertThat(cli(env, "load").exitCode()).isZero();

        CliRun status = cli(env, "status", "--json");
        JsonNode s = JSON.readTree(status.out());
        assertThat(status.exitCode()).as(status.out()).isZero();
        assertThat(s.path("warehouse").path("rows").asLong()).isEqualTo(300);
        assertThat(s.path("warehouse").path("distinct_ids").asLong()).isEqualTo(300);
        assertThat(s.path("dead_letters").path("rejected").asLong()).isZero();
        assertThat(s.path("dead_letters").path("replayed").asLong()).isEqualTo(300);
        assertThat(s.path("queue").path("dead_letter_visible").asLong()).isZero();
        assertThat(s.path("health").path("ok").asBoolean()).isTrue();
    }

    @Test
    void replayingWhatIsStillInvalidPutsItBackOnceAndCountsItOnce() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        try (var bus = queue.bus(env)) {
            bus.send(java.util.List.of("{\"event\":\"no id\"}", "[1, {\"id\":\"x\"}]"));
        }
        assertThat(cli(env, "consume", "--until-empty").exitCode()).isZero();
        JsonNode before = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(before.path("dead_letters").path("rejected").asLong()).as(before.toString()).isEqualTo(3);
        // Everything, no filter: the queue's own move task where the server has one.
        CliRun replay = cli(env, "dlq", "replay");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(cli(env, "consume", "--until-empty").exitCode()).isZero();
        JsonNode after = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(after.path("dead_letters").path("rejected").asLong()).as("still 3, not 6").isEqualTo(3);
        assertThat(after.path("queue").path("dead_letter_visible").asLong()).isEqualTo(3);
        JsonNode dlq = JSON.readTree(cli(env, "dlq", "--json").out());
        assertThat(dlq.path("by_reason").path("missing_field").asLong() + dlq.path("by_reason").path("not_an_object").asLong()).isEqualTo(3);
    }
}
