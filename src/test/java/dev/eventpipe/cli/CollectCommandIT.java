package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.ElasticMq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code eventpipe collect} as an operator runs it. */
class CollectCommandIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @Test
    void collectServesUntilItsDurationAndSaysWhere() throws Exception {
        Map<String, String> env = queue.env();
        queue.bus(env).close();
        int port = EmbeddedQueueServer.freePort();
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() ->
                CliRun.run(env, "--config", CliRun.emptySettings(), "collect", "--port", Integer.toString(port), "--duration", "6s"));
        Await.until(Duration.ofSeconds(30), () -> EmbeddedQueueServer.isListening(port) || run.isDone(), "the collector listening");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event\":\"Opened\",\"messageId\":\"c-1\",\"anonymousId\":\"a\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        CliRun done = run.get();
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("collect: listening at http://127.0.0.1:" + port + "/").contains("collect: stopped");
        assertThat(queue.bus(env).depth().visible()).isEqualTo(1);
    }

    @Test
    void aMissingQueueIsSaidAtOnceNotAsA503ToEveryClient() {
        Map<String, String> env = queue.env();
        CliRun r = CliRun.run(env, "--config", CliRun.emptySettings(), "collect", "--port", "0", "--duration", "5s");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist").contains("eventpipe init");
    }
}
