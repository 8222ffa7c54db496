package dev.eventpipe.bench;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code eventpipe queue-server --in-memory} in a child JVM, so a benchmark's client and server do
 * not share a heap or a garbage collector, as in production. Stopped on close.
 */
public final class QueueServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private QueueServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server on a free port and waits until it accepts connections. */
    public static QueueServerProcess start(Path log) throws IOException, InterruptedException {
        int port = EmbeddedQueueServer.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.eventpipe.cli.EventPipe");
        cmd.add("queue-server");
        cmd.add("--in-memory");
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        // Run where no settings.ini is, so the server has the defaults whatever the caller's folder holds.
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(log.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        Process p = pb.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!EmbeddedQueueServer.isListening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the queue server did not start; see " + log);
            }
            Thread.sleep(100);
        }
        return new QueueServerProcess(p, port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the server process has used so far. */
    public long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
