package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardServerIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheReportFolderWithContentTypes() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<html>dash</html>");
        Files.write(dir.resolve("chart-latest.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(dir.resolve("chart-latest.svg"), "<svg/>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            HttpResponse<byte[]> index = get(s.url(), "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(new String(index.body())).isEqualTo("<html>dash</html>");
            assertThat(index.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(get(s.url(), "/chart-latest.png").headers().firstValue("Content-Type")).contains("image/png");
            assertThat(get(s.url(), "/chart-latest.svg").headers().firstValue("Content-Type")).contains("image/svg+xml");
            assertThat(get(s.url(), "/missing.png").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void nothingOutsideTheFolderIsServed() throws Exception {
        Files.writeString(dir.getParent().resolve("secret.txt"), "secret");
        Path reports = Files.createDirectories(dir.resolve("reports"));
        try (DashboardServer s = DashboardServer.start(reports, EmbeddedQueueServer.freePort())) {
            assertThat(get(s.url(), "/../secret.txt").statusCode()).isEqualTo(404);
            assertThat(get(s.url(), "/%2e%2e/secret.txt").statusCode()).isEqualTo(404);
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
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             DashboardServer s = DashboardServer.start(dir, taken.getLocalPort())) {
            assertThat(s.url().getPort()).isNotEqualTo(taken.getLocalPort());
            assertThat(get(s.url(), "/").statusCode()).isEqualTo(200);
        }
    }
}
