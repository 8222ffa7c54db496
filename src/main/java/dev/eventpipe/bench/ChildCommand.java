package dev.eventpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An eventpipe command in its own JVM (the flags the launcher gives it), with its peak resident memory. */
public final class ChildCommand {

    /** How it ended. */
    public record Outcome(int exitCode, long peakRss, double seconds, Path log) {
    }

    private ChildCommand() {
    }

    /**
     * Runs {@code eventpipe args...} in {@code dir} with {@code env} over a clean environment and
     * samples its peak RSS until it exits.
     */
    public static Outcome run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runMain(dir, env, LauncherFlags.forCommand(args), "dev.eventpipe.cli.EventPipe", args);
    }

    /**
     * The same for any main class of eventpipe's jar, such as {@link RawProcess}, with {@code javaOpts}: those
     * of the command it is held against ({@link LauncherFlags#forCommand}).
     */
    public static Outcome runMain(Path dir, Map<String, String> env, List<String> javaOpts, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(javaOpts);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("eventpipe-bench-" + args[args.length > 2 ? 2 : 0].replaceAll("[^a-z]", ""), ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        while (p.isAlive()) {
            peak = Math.max(peak, ProcessMemory.peakRss(p.pid()));
            Thread.sleep(100);
        }
        return new Outcome(p.exitValue(), peak, (System.nanoTime() - start) / 1e9, log);
    }
}
