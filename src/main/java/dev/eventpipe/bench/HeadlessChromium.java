package dev.eventpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, driven through its DevTools protocol (a WebSocket: no driver, no
 * download), to time how long a page takes to draw. The page marks its drawings with
 * {@code performance.mark}; the mark's {@code startTime} is measured from the navigation's start.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private HeadlessChromium(Process process, Path profile, int port) {
        this.process = process;
        this.profile = profile;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    /** Starts chromium with a fresh profile and waits for its DevTools port. */
    public static HeadlessChromium start() throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("eventpipe-bench-chromium");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--window-size=1280,800",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("chromium did not open its DevTools port within 30 s (" + CHROMIUM + ")");
            }
            Thread.sleep(50);
        }
        return new HeadlessChromium(p, profile, Integer.parseInt(Files.readAllLines(portFile).get(0).strip()));
    }

    /**
     * Opens {@code url} in a new tab and returns the milliseconds from the navigation's start to each
     * of {@code marks} (in order), waiting at most {@code timeout} for all of them.
     *
     * @throws IOException when a mark does not come in time
     */
    public double[] timeMarks(URI url, List<String> marks, Duration timeout) throws IOException, InterruptedException {
        JsonNode target = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(devtools("/json/new?" + url)))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        String id = target.path("id").asText();
        try (Session session = new Session(http, target.path("webSocketDebuggerUrl").asText())) {
            String expression = "JSON.stringify(" + JSON.writeValueAsString(marks) + ".map(function (m) {"
                    + " var e = performance.getEntriesByName(m); return e.length ? e[0].startTime : null; }))";
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode got = JSON.readTree(session.evaluate(expression));
                double[] ms = new double[marks.size()];
                boolean all = true;
                for (int i = 0; i < ms.length; i++) {
                    all &= !got.path(i).isNull();
                    ms[i] = got.path(i).asDouble();
                }
                if (all) {
                    return ms;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the page at " + url + " did not draw " + marks + " within " + timeout.toSeconds() + " s: " + got);
                }
                Thread.sleep(20);
            }
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(devtools("/json/close/" + id))).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    private String devtools(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** One tab's DevTools connection: calls and their answers matched by id. */
    private static final class Session implements WebSocket.Listener, AutoCloseable {

        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Session(HttpClient http, String url) {
            this.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).join();
        }

        /** The string value of a JavaScript expression evaluated in the page. */
        String evaluate(String expression) throws IOException {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            String call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate")
                    .set("params", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)).toString();
            socket.sendText(call, true).join();
            try {
                JsonNode r = answer.get(10, TimeUnit.SECONDS);
                return r.path("result").path("result").path("value").asText("[]");
            } catch (Exception e) {
                throw new IOException("chromium did not answer Runtime.evaluate: " + e, e);
            } finally {
                pending.remove(id);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = pending.get(message.path("id").asInt(-1));
                    if (f != null) {
                        f.complete(message);
                    }
                } catch (IOException e) {
                    // An event we do not read; answers are well-formed JSON.
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        }
    }
}
