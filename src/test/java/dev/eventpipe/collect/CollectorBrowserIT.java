package dev.eventpipe.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.CollectorSettings;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import dev.eventpipe.http.HttpServerLimits;
import dev.eventpipe.http.JettyServer;
import dev.eventpipe.http.Responses;
import dev.eventpipe.testkit.Browser;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.NodeSdks;
import dev.eventpipe.testkit.Prerequisite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser path: a page on localhost loads Segment's analytics.js ({@code @segment/analytics-next}'s
 * standalone build, from npm) with the collector as its {@code apiHost}, in headless Chromium; its calls
 * cross origins (CORS) and arrive on the queue.
 */
class CollectorBrowserIT {

    static final String KEY = "wk_browser";

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    Path bundles;

    @BeforeEach
    void needsChromiumAndNode() throws Exception {
        Prerequisite.browser();
        Prerequisite.node();
        bundles = NodeSdks.install().resolve("@segment/analytics-next/dist/umd");
    }

    /** The page, and Segment's CDN as analytics.js asks it (its settings, its bundles), all on one local server. */
    static Handler site(Path bundles, AtomicReference<String> page, String settings) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.equals("/")) {
                    Responses.send(request, response, callback, 200, "text/html; charset=utf-8", page.get().getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/v1/projects/" + KEY + "/settings")) {
                    Responses.send(request, response, callback, 200, Responses.JSON, settings.getBytes(StandardCharsets.UTF_8));
                } else if (path.startsWith("/analytics-next/bundles/") && path.endsWith(".js") && !path.contains("..")) {
                    Path file = bundles.resolve(path.substring("/analytics-next/bundles/".length()));
                    if (!Files.isRegularFile(file)) {
                        return false;
                    }
                    Responses.send(request, response, callback, 200, "text/javascript", Files.readAllBytes(file));
                } else {
                    return false;
                }
                return true;
            }
        };
    }

    @Test
    void analyticsJsInAPageSendsItsCallsToTheCollector() throws Exception {
        EventCodec codec = new EventCodec(32_768);
        CollectorSettings settings = new CollectorSettings(0, "127.0.0.1", List.of(KEY), List.of("*"), 64L << 20, 4096, 10);
        try (SqsEventBus bus = queue.bus(queue.env());
             Collector collector = Collector.start(settings, 0, bus, codec, Clock.systemUTC())) {
            String apiHost = "127.0.0.1:" + collector.port() + "/v1";
            String cdnSettings = "{\"integrations\":{\"Segment.io\":{\"apiKey\":\"" + KEY + "\",\"apiHost\":\"" + apiHost
                    + "\",\"protocol\":\"http\"}},\"plan\":{},\"metrics\":{\"sampleRate\":0},\"enabledMiddleware\":{},"
                    + "\"middlewareSettings\":{},\"remotePlugins\":[]}";
            HttpServerLimits limits = new HttpServerLimits(Duration.ofSeconds(30), 8, 64, 8192);
            AtomicReference<String> page = new AtomicReference<>();
            try (JettyServer site = JettyServer.start("pages", "127.0.0.1", 0, limits, site(bundles, page, cdnSettings))) {
                // The page's origin (localhost) is not the collector's (127.0.0.1, another port): its calls are cross-origin.
                String cdn = "http://localhost:" + site.port();
                page.set("<!DOCTYPE html><html><head><title>shop</title><link rel=\"icon\" href=\"data:,\">"
                        + "<script>window.analytics = {_writeKey: '" + KEY + "', _cdn: '" + cdn + "', _loadOptions: {integrations: "
                        + "{'Segment.io': {apiHost: '" + apiHost + "', protocol: 'http'}}}};</script>"
                        + "<script src=\"" + cdn + "/analytics-next/bundles/standalone.js\"></script>"
                        + "<script>(function go() { if (typeof window.analytics.track !== 'function') { return setTimeout(go, 50); }"
                        + " window.analytics.identify('user-b', {plan: 'pro'});"
                        + " window.analytics.page('Home');"
                        + " window.analytics.track('Checkout Started', {cart: 3}); })();</script>"
                        + "</head><body>shop</body></html>");
                Map<String, Event> arrived = new ConcurrentHashMap<>();
                Browser.Page shown = Browser.load(cdn + "/", Duration.ofSeconds(30), () -> {
                    for (QueueMessage m : bus.receive(10, Duration.ZERO)) {
                        codec.decode(m.body()).events().forEach(e -> arrived.put(e.name(), e));
                    }
                    return arrived.size() >= 3;
                });

                assertThat(arrived).as("console: " + shown.consoleErrors()).containsKeys("identify", "page", "checkout_started");
                Event track = arrived.get("checkout_started");
                assertThat(track.get(EventField.EVENT_TEXT)).isEqualTo("Checkout Started");
                assertThat(track.get(EventField.CONTEXT_DEVICE_TYPE)).isEqualTo("web");
                assertThat(track.get(EventField.CONTEXT_LIBRARY_NAME)).isEqualTo("analytics.js");
                assertThat(track.get(EventField.USER_ID)).isEqualTo("user-b");
                assertThat(track.extra()).contains("\"cart\":3").contains("\"url\":\"http://localhost:");
                assertThat(shown.consoleErrors()).isEmpty();
            }
        }
    }
}
