package dev.eventpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An eventpipe command in its own JVM (the flags the launcher gives it), with its peak resident memory and CPU time. */
public final class ChildCommand {

    /**
     * How it ended.
     *
     * @param seconds    its wall time, to its exit
     * @param cpuSeconds the CPU time it used (user and system, whole JVM), NaN where Linux's /proc is not there
     */
    public record Outcome(int exitCode, long peakRss, double seconds, double cpuSeconds, Path log) {
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
        double cpu0 = reapedChildrenCpuSeconds();
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        // Waits on the exit rather than sleeping between samples: a sleep counted up to 100 ms after the exit in its time.
        do {
            peak = Math.max(peak, ProcessMemory.peakRss(p.pid()));
        } while (!p.waitFor(100, TimeUnit.MILLISECONDS));
        double seconds = (System.nanoTime() - start) / 1e9;
        // Once reaped, its CPU time is in this process's count of its children's: exact, where sampling /proc/PID would miss
        // the last interval. The children run one at a time.
        double cpu = reapedChildrenCpuSeconds() - cpu0;
        return new Outcome(p.exitValue(), peak, seconds, cpu, log);
    }

    /**
     * The CPU time (user and system) of this process's children that have ended and been waited for, from
     * {@code /proc/self/stat} (cutime, cstime, in USER_HZ ticks: 100 a second on Linux); NaN where /proc is not there.
     */
    private static double reapedChildrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // After the command name in parentheses (which may hold spaces): field 3 (state) onwards.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
