package dev.eventpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class JettyServerIT {

    static final HttpServerLimits LIMITS = new HttpServerLimits(Duration.ofSeconds(5), 8, 16, 8192);

    @Test
    void aFailingHandlerIsA500AsJsonWithoutTheExceptionsText() throws Exception {
        Handler failing = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                throw new IllegalStateException("cannot read /var/lib/internal/secret.db");
            }
        };
        try (JettyServer server = JettyServer.start("test", "127.0.0.1", 0, LIMITS, failing)) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.path("status").asInt()).isEqualTo(500);
            assertThat(body.path("error").asText()).isEqualTo("Server Error");
            assertThat(answer.body()).doesNotContain("secret").doesNotContain("IllegalState");
        }
    }

    static Handler nothing() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        };
    }

    @Test
    void aTakenPortIsToldApartAndLeavesNoThreadBehind() throws Exception {
        try (JettyServer first = JettyServer.start("first", "127.0.0.1", 0, LIMITS, nothing())) {
            IOException e = assertThrows(IOException.class,
                    () -> JettyServer.start("second", "127.0.0.1", first.port(), LIMITS, nothing()));

            assertThat(JettyServer.isAddressInUse(e)).isTrue();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("second-http"));
        }
    }
}
