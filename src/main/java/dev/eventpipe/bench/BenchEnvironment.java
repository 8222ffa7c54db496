package dev.eventpipe.bench;

import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One benchmark run's queue server (ElasticMQ in a child JVM, in memory, unless an endpoint is given)
 * and the settings that point at it, with a fresh queue per phase.
 */
public final class BenchEnvironment implements AutoCloseable {

    private final Map<String, String> env;
    private final QueueServerProcess server;
    private final String url;

    private BenchEnvironment(Map<String, String> env, QueueServerProcess server, String url) {
        this.env = env;
        this.server = server;
        this.url = url;
    }

    /** Starts a server, or uses {@code endpoint} when it is not null. */
    public static BenchEnvironment start(Map<String, String> env, String endpoint) throws Exception {
        if (endpoint != null) {
            return new BenchEnvironment(env, null, endpoint);
        }
        QueueServerProcess server = QueueServerProcess.start(Files.createTempFile("eventpipe-bench-queue", ".log"));
        return new BenchEnvironment(env, server, server.endpoint().toString());
    }

    public String url() {
        return url;
    }

    public String describe() {
        return url + " (" + (server == null ? "given" : "ElasticMQ in a child JVM, in memory") + ")";
    }

    /** The defaults, the caller's environment, and this server with queue {@code queue}. */
    public Settings settings(String queue, Map<String, String> more) {
        Map<String, String> e = new HashMap<>(env);
        e.put("EVENTPIPE_AWS_ENDPOINT", url);
        e.put("EVENTPIPE_AWS_SQS_NAME", queue);
        e.remove("EVENTPIPE_AWS_SQS_DEAD_LETTER_NAME");
        e.putAll(more);
        return Settings.load(Path.of("bench-has-no-settings.ini"), false, e);
    }

    public Settings settings(String queue) {
        return settings(queue, Map.of());
    }

    /** Creates {@code queue} and its dead-letter queue; returns the queue's URL. */
    public String createQueues(String queue) {
        Settings s = settings(queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 2), s.aws())) {
            bus.ensureQueues();
        }
        try (SqsClient sqs = SqsClients.create(s.aws(), 2)) {
            return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        }
    }

    public void deleteQueues(String queue) {
        try (SqsClient sqs = SqsClients.create(settings(queue).aws(), 2)) {
            for (String name : List.of(queue, queue + "-dlq")) {
                String u = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
                sqs.deleteQueue(b -> b.queueUrl(u));
            }
        }
    }

    /** CPU time the queue server process has used so far; NaN when the server is not a process of this bench. */
    public double serverCpuSeconds() {
        return server == null ? Double.NaN : server.cpuNanos() / 1e9;
    }

    public CpuMeter cpu() {
        return new CpuMeter(server);
    }

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The JVM flags the launcher gives every command, for child processes ({@link LauncherFlags#base()}). */
    public static List<String> launcherJavaOpts() {
        return LauncherFlags.base();
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** CPU time of this JVM and of the server process since construction. */
    public static final class CpuMeter {
        private final QueueServerProcess server;
        private final long client0;
        private final long server0;

        CpuMeter(QueueServerProcess server) {
            this.server = server;
            this.client0 = clientCpu();
            this.server0 = server == null ? 0 : server.cpuNanos();
        }

        /** "cpu/msg: client N us, server M us" for {@code items} items handled since construction. */
        public String perItem(long items) {
            double c = (clientCpu() - client0) / 1e3 / Math.max(1, items);
            double s = server == null ? Double.NaN : (server.cpuNanos() - server0) / 1e3 / Math.max(1, items);
            return String.format("cpu/msg: client %.0f us, server %.0f us", c, s);
        }

        private static long clientCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }
}
