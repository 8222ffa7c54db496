package dev.eventpipe.bench;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code eventpipe collect} in a child JVM with the launcher's flags, so the load generator and the
 * collector do not share a heap or a garbage collector. Stopped (SIGTERM, a graceful stop) on close.
 */
public final class CollectorProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private CollectorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the collector on a free port with {@code env} over a clean environment, and waits until it listens. */
    public static CollectorProcess start(Path log, Map<String, String> env) throws IOException, InterruptedException {
        int port = EmbeddedQueueServer.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(BenchEnvironment.launcherJavaOpts());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.eventpipe.cli.EventPipe", "collect", "--port",
                Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(log.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!EmbeddedQueueServer.isListening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the collector did not start; see " + log);
            }
            Thread.sleep(100);
        }
        return new CollectorProcess(p, port);
    }

    public int port() {
        return port;
    }

    /** CPU time the collector has used so far. */
    public long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
