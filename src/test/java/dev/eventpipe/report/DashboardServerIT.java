package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardServerIT {

    /** Short, so the test sees idle clients dropped; the real one is {@link DashboardServer#LIMITS}. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** "At once", for a warmed-up server on a busy 2-core machine; a blocked one does not answer at all. */
    static final Duration AT_ONCE = Duration.ofSeconds(1);
    /** Generous: a cold JVM's first request on a loaded machine takes seconds. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<byte[]> send(URI base, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(URI base, String path) throws Exception {
        return send(base, "GET", path);
    }

    /** A raw request and everything the server sends until it closes the connection. */
    private static String raw(URI base, String request) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** A client that sends the start of a request and then nothing, the way a slow or hostile one does. */
    private static Socket idle(URI base) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Reads until the server closes {@code s}; fails when it does not within {@code limit}. Returns what it sent. */
    private static byte[] awaitClosed(Socket s, Duration limit) throws IOException {
        s.setSoTimeout((int) limit.toMillis());
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                seen.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept an idle connection open longer than " + limit, e);
        } catch (IOException e) {
            // A reset is a close too.
        }
        return seen.toByteArray();
    }

    private void idleClientsDoNotBlockOthersAndAreDropped(int idleClients) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        List<Socket> sockets = new ArrayList<>();
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort(),
                DashboardServer.LIMITS.withIdleTimeout(IDLE_TIMEOUT))) {
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
            long opened = System.nanoTime();
            for (int i = 0; i < idleClients; i++) {
                sockets.add(idle(s.url()));
            }
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> index = get(s.url(), "/");
                assertThat(index.statusCode()).isEqualTo(200);
                assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<html>dash</html>");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
            }
            for (Socket socket : sockets) {
                awaitClosed(socket, IDLE_TIMEOUT.plusSeconds(3));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(100));
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void twoIdleClientsDoNotBlockAnotherAndAreDroppedAfterTheIdleTimeout() throws Exception {
        idleClientsDoNotBlockOthersAndAreDropped(2);
    }

    @Test
    void fiftyIdleClientsDoNotBlockAnotherAndAreDroppedAfterTheIdleTimeout() throws Exception {
        idleClientsDoNotBlockOthersAndAreDropped(50);
    }

    @Test
    void aClientThatNeverReadsItsAnswerDoesNotBlockAnother() throws Exception {
        Files.write(dir.resolve("big.png"), new byte[4 * 1024 * 1024]);
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        List<Socket> sockets = new ArrayList<>();
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort(),
                DashboardServer.LIMITS.withIdleTimeout(IDLE_TIMEOUT))) {
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket(s.url().getHost(), s.url().getPort());
                socket.setReceiveBufferSize(4096);
                socket.getOutputStream().write("GET /big.png HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            long start = System.nanoTime();
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void servesTheReportFolderWithContentTypes() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        Files.write(dir.resolve("chart-latest.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(dir.resolve("chart-latest.svg"), "<svg/>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            assertThat(s.url().getHost()).isEqualTo("127.0.0.1");
            HttpResponse<byte[]> index = get(s.url(), "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(new String(index.body())).isEqualTo("<html>dash</html>");
            assertThat(index.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(index.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(index.headers().firstValue("Server")).isEmpty();
            assertThat(get(s.url(), "/index.html").body()).isEqualTo(index.body());
            HttpResponse<byte[]> png = get(s.url(), "/chart-latest.png");
            assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
            assertThat(png.body()).hasSize(4);
            assertThat(get(s.url(), "/chart-latest.svg").headers().firstValue("Content-Type")).contains("image/svg+xml");
        }
    }

    @Test
    void healthAnswersOkAsJson() throws Exception {
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            HttpResponse<byte[]> health = get(s.url(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            for (String path : List.of("/", "/health")) {
                String answer = raw(s.url(), "HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String body = get(s.url(), path).headers().firstValue("Content-Length").orElseThrow();
                assertThat(answer).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + body + "\r\n").endsWith("\r\n\r\n");
            }
        }
    }

    @Test
    void aMissingFileIsA404AsJson() throws Exception {
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            HttpResponse<byte[]> missing = get(s.url(), "/missing.png");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).contains("application/json");
            JsonNode body = json.readTree(missing.body());
            assertThat(body.path("error").asText()).isEqualTo("not found");
            assertThat(body.path("path").asText()).isEqualTo("/missing.png");
        }
    }

    @Test
    void otherMethodsAreA405AsJson() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
                HttpResponse<byte[]> refused = send(s.url(), method, "/");
                assertThat(refused.statusCode()).as(method).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).contains("GET, HEAD");
                assertThat(refused.headers().firstValue("Content-Type")).contains("application/json");
                assertThat(json.readTree(refused.body()).path("error").asText()).isEqualTo("method not allowed");
            }
        }
    }

    @Test
    void nothingOutsideTheFolderIsServed() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "CONTENT-ABOVE");
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(Files.createDirectories(reports.resolve("sub")).resolve("inner.txt"), "CONTENT-BELOW");
        Files.writeString(reports.resolve(".hidden"), "CONTENT-HIDDEN");
        try (DashboardServer s = DashboardServer.start(reports, EmbeddedQueueServer.freePort())) {
            for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/sub/inner.txt",
                    "/sub/../../secret.txt", "/.hidden", "/%00", "/secret.txt%00.png")) {
                String answer = raw(s.url(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(answer).as(path).matches("(?s)HTTP/1.1 (400|404) .*").doesNotContain("CONTENT-")
                        .contains("Content-Type: application/json").doesNotContain("<html");
            }
        }
    }

    @Test
    void aBadRequestIsAnsweredAsJsonAndTheServerStaysUp() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            String garbage = raw(s.url(), "NOT HTTP AT ALL\r\n\r\n");
            assertThat(garbage).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json");
            String huge = raw(s.url(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
            assertThat(huge).startsWith("HTTP/1.1 431 ");
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void beforeTheFirstReportTheIndexSaysSoAndRefreshes() throws Exception {
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            HttpResponse<byte[]> index = get(s.url(), "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(new String(index.body())).contains("No report yet").contains("http-equiv=\"refresh\"");
        }
    }

    @Test
    void aTakenPortFallsBackToAFreeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DashboardServer s = DashboardServer.start(dir, taken.getLocalPort())) {
            assertThat(s.url().getPort()).isNotEqualTo(taken.getLocalPort());
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
        }
    }
}
