package dev.eventpipe.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SendResult;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.CollectorSettings;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.ElasticMq;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The collector against a real queue, driven over HTTP as clients drive it, hostile ones included. */
class CollectorIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "wk_test_1";

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final EventCodec codec = new EventCodec(32_768);
    SqsEventBus bus;
    Collector collector;

    static CollectorSettings settings(List<String> keys, long maxInflight) {
        return new CollectorSettings(0, "127.0.0.1", keys, List.of("*"), maxInflight, 4096, 10);
    }

    @BeforeEach
    void start() throws Exception {
        bus = queue.bus(queue.env());
        collector = Collector.start(settings(List.of(KEY), 64L << 20), 0, bus, codec, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
        bus.close();
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder post(String path, byte[] body) {
        return HttpRequest.newBuilder(collector.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Authorization", basic(KEY))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String track(String id) {
        return "{\"type\":\"track\",\"event\":\"Button Clicked\",\"messageId\":\"" + id + "\",\"anonymousId\":\"a-1\","
                + "\"timestamp\":\"2026-11-25T12:00:00Z\",\"context\":{\"device\":{\"type\":\"android\"}}}";
    }

    /** Everything on the main queue, unpacked. */
    List<DecodedBody> drain() {
        List<DecodedBody> out = new ArrayList<>();
        List<QueueMessage> got;
        while (!(got = bus.receive(10, Duration.ofSeconds(1))).isEmpty()) {
            for (QueueMessage m : got) {
                out.add(codec.decode(m.body()));
            }
            bus.delete(got);
        }
        return out;
    }

    JsonNode error(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(r.statusCode());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        return body;
    }

    @Test
    void aTrackCallIsAnsweredSuccessOnceItsEventIsOnTheQueue() throws Exception {
        HttpResponse<String> r = send(post("/v1/track", bytes(track("m-1"))));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"success\":true}");
        List<DecodedBody> queued = drain();
        assertThat(queued).singleElement().satisfies(d -> {
            assertThat(d.rejections()).isEmpty();
            Event e = d.events().get(0);
            assertThat(e.id()).isEqualTo("m-1");
            assertThat(e.name()).isEqualTo("button_clicked");
            assertThat(e.get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("android");
        });
    }

    @Test
    void theShortPathsOfAnalyticsJsAndTheBodysWriteKeyAreTaken() throws Exception {
        String body = track("m-2").replace("{\"type\"", "{\"writeKey\":\"" + KEY + "\",\"type\"");
        HttpResponse<String> r = send(HttpRequest.newBuilder(collector.url().resolve("/v1/t")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(drain()).singleElement().satisfies(d -> assertThat(d.events().get(0).id()).isEqualTo("m-2"));
    }

    @Test
    void aGzippedBatchIsTakenAndItsInvalidEventsGoOnForTheDeadLetterQueueWithA200() throws Exception {
        StringBuilder b = new StringBuilder("{\"sentAt\":\"2026-11-25T12:00:01Z\",\"batch\":[");
        for (int i = 0; i < 300; i++) {
            b.append(track("b-" + i)).append(',');
        }
        b.append("{\"type\":\"track\",\"messageId\":\"no-event\",\"anonymousId\":\"a\"}, 5]}");
        HttpResponse<String> r = send(post("/v1/batch", gzip(bytes(b.toString()))).header("Content-Encoding", "gzip")
                .setHeader("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<DecodedBody> queued = drain();
        assertThat(queued.stream().mapToInt(d -> d.events().size()).sum()).isEqualTo(300);
        assertThat(queued.stream().flatMap(d -> d.rejections().stream()).map(x -> x.reason().code()))
                .containsExactlyInAnyOrder("missing_field", "not_an_object");
        assertThat(queued).as("one request, one message").hasSize(1);
        assertThat(collectorMetrics()).contains("eventpipe_collector_events_total{outcome=\"rejected\",reason=\"missing_field\"} 1.0")
                .contains("eventpipe_collector_events_total{outcome=\"accepted\",reason=\"none\"} 300.0");
    }

    String collectorMetrics() throws Exception {
        HttpResponse<String> m = send(HttpRequest.newBuilder(collector.url().resolve("/metrics")).GET());
        assertThat(m.statusCode()).isEqualTo(200);
        return m.body();
    }

    @Test
    void aWrongOrMissingKeyIs401() throws Exception {
        HttpResponse<String> wrong = send(post("/v1/track", bytes(track("k"))).setHeader("Authorization", basic("nope")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong).path("error").asText()).contains("write key");

        HttpResponse<String> none = send(HttpRequest.newBuilder(collector.url().resolve("/v1/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(track("k"))));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none).path("error").asText()).contains("no write key");
        assertThat(drain()).isEmpty();
    }

    @Test
    void anOversizeEventOrBatchIsRefusedNamingTheLimit() throws Exception {
        String big = "x".repeat(33_000);
        HttpResponse<String> event = send(post("/v1/track", bytes(track("big").replace("\"a-1\"", "\"a-1\",\"pad\":\"" + big + "\""))));
        assertThat(event.statusCode()).isEqualTo(413);
        assertThat(error(event).path("limit").asText()).isEqualTo("32768 bytes per request");

        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 30; i++) {
            batch.append(i == 0 ? "" : ",").append(track("b" + i).replace("\"a-1\"", "\"a-1\",\"pad\":\"" + "y".repeat(20_000) + "\""));
        }
        HttpResponse<String> tooMany = send(post("/v1/batch", bytes(batch.append("]}").toString())));
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(error(tooMany).path("limit").asText()).isEqualTo("512000 bytes per batch request");

        HttpResponse<String> oneTooLarge = send(post("/v1/batch", bytes("{\"batch\":[" + track("ok") + ","
                + track("big").replace("\"a-1\"", "\"a-1\",\"pad\":\"" + big + "\"") + "]}")));
        assertThat(oneTooLarge.statusCode()).isEqualTo(400);
        assertThat(error(oneTooLarge).path("error").asText()).contains("item 1 of the batch");
        assertThat(error(oneTooLarge).path("limit").asText()).isEqualTo("32768 bytes per event");

        // A gzip bomb: small on the wire, more than the limit unpacked.
        HttpResponse<String> bomb = send(post("/v1/batch", gzip(new byte[5_000_000])).header("Content-Encoding", "gzip"));
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(drain()).isEmpty();
    }

    /** One HTTP/1.1 answer read off {@code in}: its status line and headers, then its Content-Length of body. */
    static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static String request(String path, String headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: " + basic(KEY) + "\r\n" + headers + "\r\n";
    }

    /**
     * A refused body is read through (and thrown away) before the answer: a client still sending it gets
     * its 413 instead of a reset connection, and the connection carries its next request.
     */
    @Test
    void aTooLargeBodyIsReadThroughSoItsAnswerArrivesAndTheConnectionCarriesOn() throws Exception {
        byte[] track = bytes(track("after-413"));
        try (Socket s = new Socket("127.0.0.1", collector.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(bytes(request("/v1/batch", "Content-Length: 3000000\r\n")));
            out.write(new byte[3_000_000]);
            out.flush();
            String declared = readAnswer(in);
            assertThat(declared).startsWith("HTTP/1.1 413").contains("512000 bytes per batch request").doesNotContainIgnoringCase("connection: close");

            // No length said: the body is refused when it passes the limit, and read to its end all the same.
            out.write(bytes(request("/v1/batch", "Transfer-Encoding: chunked\r\n")));
            for (int i = 0; i < 30; i++) {
                out.write(bytes(Integer.toHexString(20_000) + "\r\n"));
                out.write(new byte[20_000]);
                out.write(bytes("\r\n"));
            }
            out.write(bytes("0\r\n\r\n"));
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 413").doesNotContainIgnoringCase("connection: close");

            out.write(bytes(request("/v1/track", "Content-Length: " + track.length + "\r\n")));
            out.write(track);
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200");
        }
        assertThat(drain()).flatExtracting(DecodedBody::events).extracting(Event::id).containsExactly("after-413");

        // Beyond what is worth reading, the answer comes at once and the connection closes.
        try (Socket s = new Socket("127.0.0.1", collector.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(bytes(request("/v1/batch", "Content-Length: " + (Exchange.MAX_DRAINED_BYTES + 1) + "\r\n")));
            s.getOutputStream().flush();
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void badJsonBadGzipAndAWrongTypeOrEncodingAreRefused() throws Exception {
        HttpResponse<String> json = send(post("/v1/track", bytes("{\"event\": ")));
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(error(json).path("error").asText()).startsWith("invalid JSON");

        HttpResponse<String> notObject = send(post("/v1/batch", bytes("[1,2]")));
        assertThat(notObject.statusCode()).isEqualTo(400);

        HttpResponse<String> noBatch = send(post("/v1/batch", bytes("{\"events\":[]}")));
        assertThat(noBatch.statusCode()).isEqualTo(400);
        assertThat(error(noBatch).path("error").asText()).contains("'batch'");

        HttpResponse<String> gz = send(post("/v1/batch", bytes("not gzip at all")).header("Content-Encoding", "gzip"));
        assertThat(gz.statusCode()).isEqualTo(400);
        assertThat(error(gz).path("error").asText()).contains("gzip");

        HttpResponse<String> type = send(post("/v1/track", bytes(track("t"))).setHeader("Content-Type", "application/xml"));
        assertThat(type.statusCode()).isEqualTo(415);
        assertThat(error(type).path("error").asText()).contains("application/xml");

        HttpResponse<String> encoding = send(post("/v1/track", bytes(track("t"))).header("Content-Encoding", "br"));
        assertThat(encoding.statusCode()).isEqualTo(415);

        HttpResponse<String> get = send(HttpRequest.newBuilder(collector.url().resolve("/v1/track")).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> unknown = send(post("/v2/track", bytes(track("t"))));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(drain()).isEmpty();
    }

    @Test
    void aBodyThatNeverFinishesIsCutOffAtTheDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", collector.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes("POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: " + basic(KEY)
                    + "\r\nContent-Length: 1000\r\n\r\n{\"event\":"));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Collector.BODY_DEADLINE.plusSeconds(5));
        assertThat(send(HttpRequest.newBuilder(collector.url().resolve("/health")).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyTricklingInAByteAtATimeIsCutOffAtTheDeadlineToo() throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", collector.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes("POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: " + basic(KEY)
                    + "\r\nContent-Length: 1000\r\n\r\n"));
            out.flush();
            // Each byte keeps the connection from idling out: only the body's own deadline ends it.
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (Exception closed) {
                    // The collector answered and closed the connection.
                }
            });
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 408");
            trickle.cancel(true);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Collector.BODY_DEADLINE.plusSeconds(5));
    }

    @Test
    void aThousandConcurrentConnectionsEachGetTheirAnswerAndTheCollectorStaysUp() throws Exception {
        int n = 1000;
        List<Socket> sockets = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket("127.0.0.1", collector.port());
                s.setSoTimeout(60_000);
                sockets.add(s);
            }
            for (int i = 0; i < n; i++) {
                // Every tenth a bad key, to show each gets its own answer.
                byte[] body = bytes(track("c-" + i));
                String key = i % 10 == 0 ? "bad" : KEY;
                OutputStream out = sockets.get(i).getOutputStream();
                out.write(bytes("POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: " + basic(key)
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n"));
                out.write(body);
                out.flush();
            }
            int ok = 0;
            int unauthorized = 0;
            for (Socket s : sockets) {
                String status = statusLine(s.getInputStream());
                if (status.startsWith("HTTP/1.1 200")) {
                    ok++;
                } else if (status.startsWith("HTTP/1.1 401")) {
                    unauthorized++;
                }
            }
            assertThat(ok).isEqualTo(900);
            assertThat(unauthorized).isEqualTo(100);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(send(post("/v1/track", bytes(track("after")))).statusCode()).isEqualTo(200);
        assertThat(drain().stream().mapToInt(d -> d.events().size()).sum()).isEqualTo(901);
    }

    static String statusLine(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Test
    void whenTheQueueDoesNotTakeTheEventsTheAnswerIs503WithRetryAfter() throws Exception {
        collector.close();
        Map<String, String> env = queue.env();
        // A queue that does not exist: every send fails.
        try (SqsEventBus missing = new SqsEventBus(dev.eventpipe.bus.SqsClients.create(ElasticMq.settings(env).aws(), 4),
                ElasticMq.settings(env).aws())) {
            collector = Collector.start(settings(List.of(KEY), 64L << 20), 0, missing, codec, Clock.systemUTC());
            HttpResponse<String> r = send(post("/v1/track", bytes(track("x"))));

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(error(r).path("error").asText()).contains("queue");
            assertThat(send(HttpRequest.newBuilder(collector.url().resolve("/health")).GET()).statusCode()).isEqualTo(503);
            collector.close();
            collector = null;
        }
    }

    @Test
    void aboveTheInflightBoundNewRequestsGet503AndThoseHeldAreAnsweredWhenTheQueueTakesThem() throws Exception {
        collector.close();
        CountDownLatch queueAnswers = new CountDownLatch(1);
        PackSenderTest.SendingBus slow = new PackSenderTest.SendingBus();
        slow.behaviour = bodies -> {
            PackSenderTest.await(queueAnswers);
            return new SendResult(bodies.size(), List.of());
        };
        collector = Collector.start(settings(List.of(KEY), 1L << 20), 0, slow, codec, Clock.systemUTC());
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 1500; i++) {
            batch.append(i == 0 ? "" : ",").append(track("h" + i));
        }
        byte[] body = bytes(batch.append("]}").toString());
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(post("/v1/batch", body).build(), HttpResponse.BodyHandlers.ofString());
        Await.until(Duration.ofSeconds(20), () -> !slow.calls.isEmpty(), "the first request's events on their way to the queue");

        HttpResponse<String> refused = send(post("/v1/batch", body));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(error(refused).path("limit").asText()).as(refused.body()).contains("max_inflight_bytes");
        assertThat(held).isNotDone();

        queueAnswers.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aStopLetsRequestsInProgressGetTheirAnswer() throws Exception {
        collector.close();
        CountDownLatch queueAnswers = new CountDownLatch(1);
        PackSenderTest.SendingBus slow = new PackSenderTest.SendingBus();
        slow.behaviour = bodies -> {
            PackSenderTest.await(queueAnswers);
            return new SendResult(bodies.size(), List.of());
        };
        collector = Collector.start(settings(List.of(KEY), 64L << 20), 0, slow, codec, Clock.systemUTC());
        CompletableFuture<HttpResponse<String>> inProgress = http.sendAsync(post("/v1/track", bytes(track("s"))).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.until(Duration.ofSeconds(20), () -> !slow.calls.isEmpty(), "the request's events on their way to the queue");
        Collector stopping = collector;
        collector = null;
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close);
        Thread.sleep(500);
        assertThat(stopped).as("the stop waits for the request in progress").isNotDone();

        queueAnswers.countDown();
        assertThat(inProgress.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopped.get(20, TimeUnit.SECONDS);
    }

    @Test
    void browsersGetCorsAnswersForAllowedOrigins() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(collector.url().resolve("/v1/t"))
                .header("Origin", "http://shop.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isPresent();

        HttpResponse<String> post = send(post("/v1/track", bytes(track("cors"))).header("Origin", "http://shop.example"));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        assertThat(send(post("/v1/track", bytes(track("m")))).statusCode()).isEqualTo(200);
        HttpResponse<String> health = send(HttpRequest.newBuilder(collector.url().resolve("/health")).GET());
        assertThat(health.statusCode()).isEqualTo(200);

        assertThat(collectorMetrics()).contains("eventpipe_collector_requests_seconds_count{path=\"/v1/track\",status=\"200\"} 1")
                .contains("eventpipe_collector_sqs_send_seconds_bucket").contains("eventpipe_collector_inflight_bytes");
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }
}
