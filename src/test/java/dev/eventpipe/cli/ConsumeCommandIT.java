package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.testkit.ElasticMq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventpipe consume} as a user runs it, against ElasticMQ. */
class ConsumeCommandIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    @Test
    void untilEmptyOnAnEmptyQueueEndsWithinASecondWhateverTheLongPollWait() throws Exception {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "20");
        assertThat(CliRun.onDefaults(env, "init").exitCode()).isZero();
        long start = System.nanoTime();
        CliRun consume = CliRun.onDefaults(env, "consume", "--until-empty", "--pollers", "8");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        assertThat(consume.out()).contains("consume: 0 messages");
        // Draining, receives do not wait: the end is two empty checks 250 ms apart. With 1 s long polls the
        // pollers' first receives, the checks and the stop (waiting for the receives under way) took over 2 s.
        assertThat(took).isLessThan(Duration.ofMillis(1_500));
    }
}
