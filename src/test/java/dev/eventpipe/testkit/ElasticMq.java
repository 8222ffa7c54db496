package dev.eventpipe.testkit;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real ElasticMQ in the test JVM on a free port, in memory, for one test class
 * ({@code @RegisterExtension static ElasticMq queue = new ElasticMq();}). Each test gets its own
 * queue names from {@link #env()}, so tests never see each other's messages.
 */
public final class ElasticMq implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger QUEUES = new AtomicInteger();

    private EmbeddedQueueServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedQueueServer.start(EmbeddedQueueServer.freePort(), null, "us-east-1");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public EmbeddedQueueServer server() {
        return server;
    }

    /** Environment overrides pointing at this server with fresh queue names. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTPIPE_AWS_ENDPOINT", server.endpoint().toString());
        env.put("EVENTPIPE_AWS_SQS_NAME", "test-" + QUEUES.incrementAndGet());
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "1");
        return env;
    }

    /** Settings from the defaults (no file) with {@code env}. */
    public static Settings settings(Map<String, String> env) {
        return Settings.load(Path.of("no-such-settings.ini"), false, env);
    }

    /** An event bus on this server with fresh queues, already created. */
    public SqsEventBus bus(Map<String, String> env) {
        Settings s = settings(env);
        SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 8), s.aws());
        bus.ensureQueues();
        return bus;
    }

    /** A raw SDK client on this server, for looking at queues from outside eventpipe. */
    public SqsClient client() {
        return SqsClients.create(settings(env()).aws(), 4);
    }
}
