package dev.eventpipe.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The analytics SDKs real apps use, installed from the npm registry into {@code target/npm} (once: both
 * test JVMs share the folder under a file lock; {@code .ci/run} installs them before the tests), and node
 * scripts run against them. {@code .ci/run} installs the same list: keep the two in step. Needs Node.js and npm on the PATH ({@link Prerequisite#node()}).
 */
public final class NodeSdks {

    /** Pinned, so every run tests the same clients: Segment's node SDK (current 3.x), RudderStack's, and analytics.js. */
    public static final List<String> PACKAGES = List.of("@segment/analytics-node@3.1.0", "@rudderstack/rudder-sdk-node@3.0.13",
            "@segment/analytics-next@1.84.3");

    public static final Path FOLDER = Path.of("target", "npm").toAbsolutePath();

    private NodeSdks() {
    }

    /** Whether {@code node} and {@code npm} run here. */
    public static boolean available() {
        return runs("node", "--version") && runs("npm", "--version");
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Installs the packages unless they are there already; returns their {@code node_modules}. */
    public static synchronized Path install() throws IOException, InterruptedException {
        Files.createDirectories(FOLDER);
        try (FileChannel lockFile = FileChannel.open(FOLDER.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            if (installed()) {
                return FOLDER.resolve("node_modules");
            }
            List<String> cmd = new ArrayList<>(List.of("npm", "install", "--prefix", FOLDER.toString(), "--no-save", "--no-audit",
                    "--no-fund", "--ignore-scripts", "--loglevel=error"));
            cmd.addAll(PACKAGES);
            Result r = run(FOLDER, Map.of(), 600, cmd);
            if (r.exitCode() != 0) {
                throw new IOException("npm install failed (" + r.exitCode() + "): " + r.output());
            }
            return FOLDER.resolve("node_modules");
        }
    }

    /** Whether each package is in {@code node_modules} at its version (.ci/run may have installed them). */
    private static boolean installed() throws IOException {
        for (String p : PACKAGES) {
            int at = p.lastIndexOf('@');
            Path json = FOLDER.resolve("node_modules").resolve(p.substring(0, at)).resolve("package.json");
            if (!Files.exists(json) || !Files.readString(json).contains("\"version\": \"" + p.substring(at + 1) + "\"")) {
                return false;
            }
        }
        return true;
    }

    /** What a script printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code node script args...} in the SDK folder (so {@code require} finds the packages). */
    public static Result node(Path script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", script.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("NODE_PATH", FOLDER.resolve("node_modules").toString());
        return run(FOLDER, all, 180, cmd);
    }

    private static Result run(Path dir, Map<String, String> env, int seconds, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("eventpipe-node", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IOException(String.join(" ", cmd) + " did not end within " + seconds + " s: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        return new Result(p.exitValue(), text);
    }
}
