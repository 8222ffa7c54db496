package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} counts what consumers wrote even when one died before publishing its counts. */
class StatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        return env;
    }

    private CliRun cli(Map<String, String> env, String... args) {
        return CliRun.onDefaults(env, args);
    }

    private static void publish(LocalObjectStore store, String writer, long throughSeq, long events) {
        String json = String.format("{\"writer\":\"%s\",\"received_events\":%d,\"valid_events\":%d,\"rejected\":{},"
                + "\"written_events\":%d,\"files\":%d,\"counted_through_seq\":%d,\"counted_events\":%d}",
                writer, events, events, events, throughSeq, throughSeq, events);
        store.put(DfsLayout.consumerStatsKey(writer), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesWrittenAfterAConsumerLastPublishedAreCountedFromTheStore() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        // Writer "a" published after its first file and was killed after writing two more; one of
        // them is loaded (archive/, its rows in the ledger), one still waits in incoming/.
        EventFiles.write(store, "host-1-a", 1, EventFiles.events(300, 1));
        publish(store, "host-1-a", 1, 300);
        EventFiles.write(store, "host-1-a", 2, EventFiles.events(200, 2));
        // Writer "b" was killed before it ever published.
        EventFiles.write(store, "host-2-b", 1, EventFiles.events(100, 3));
        assertThat(cli(env, "load").exitCode()).isZero();
        EventFiles.write(store, "host-1-a", 3, EventFiles.events(50, 4));

        CliRun s = cli(env, "status", "--json");
        JsonNode n = JSON.readTree(s.out());
        JsonNode c = n.path("counts");
        assertThat(c.path("written_events").asLong()).as(s.out()).isEqualTo(650);
        assertThat(c.path("files_written").asLong()).isEqualTo(4);
        assertThat(c.path("uncounted_files").asLong()).isEqualTo(3);
        assertThat(c.path("uncounted_events").asLong()).isEqualTo(350);
        assertThat(n.path("reconciliation").path("ok").asBoolean()).as(s.out()).isTrue();
        assertThat(s.exitCode()).as(s.out() + s.err()).isZero();
    }

    @Test
    void aFileMissingFromTheStoreIsAMismatch() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        EventFiles.write(store, "host-1-a", 1, EventFiles.events(300, 1));
        publish(store, "host-1-a", 2, 500);
        assertThat(cli(env, "load").exitCode()).isZero();

        CliRun s = cli(env, "status");
        assertThat(s.out()).contains("MISMATCH: written 500 = loaded 300 + pending 0 + quarantined 0");
        assertThat(s.exitCode()).isEqualTo(EventPipe.EXIT_FAILURE);
    }
}
