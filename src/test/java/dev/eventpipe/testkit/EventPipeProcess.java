package dev.eventpipe.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The eventpipe CLI in a child JVM, with an environment of the test's choosing, so it can be killed for real. */
public final class EventPipeProcess {

    private final Process process;
    private final Path log;

    private EventPipeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code eventpipe --config <empty> args...} with {@code env} over a clean environment. */
    public static EventPipeProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(dir);
        Path settings = dir.resolve("empty-settings.ini");
        if (!Files.exists(settings)) {
            Files.writeString(settings, "");
        }
        List<String> all = new ArrayList<>(List.of("--config", settings.toString()));
        all.addAll(List.of(args));
        return startMain(dir, env, "dev.eventpipe.cli.EventPipe", all.toArray(String[]::new));
    }

    /** Starts any main class of the test classpath, logging as the real command does (INFO). */
    public static EventPipeProcess startMain(Path dir, Map<String, String> env, String mainClass, String... args) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Duser.timezone=UTC");
        cmd.add("-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "eventpipe-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        pb.environment().putAll(env);
        return new EventPipeProcess(pb.start(), log);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("eventpipe did not exit within " + seconds + " s; log:\n" + log());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
