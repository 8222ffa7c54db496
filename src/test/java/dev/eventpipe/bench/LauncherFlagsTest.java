package dev.eventpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher adds the first-tier-only JIT flag to commands that end by themselves, and benchmarks give
 * their child processes what the launcher would: both are checked on the same command lines, the launcher
 * by running it with a stand-in {@code java} that prints its arguments.
 */
class LauncherFlagsTest {

    private static final String FINITE_FLAG = "-XX:TieredStopAtLevel=1";

    private static final Map<List<String>, Boolean> COMMAND_LINES = Map.ofEntries(
            Map.entry(List.of("consume", "--until-empty"), true),
            Map.entry(List.of("--config", "my.ini", "consume", "--pollers", "8", "--until-empty"), true),
            Map.entry(List.of("--config=my.ini", "consume", "--until-empty", "--summary-json", "s.json"), true),
            Map.entry(List.of("generate", "--rate", "0", "--count", "100000"), true),
            Map.entry(List.of("generate", "--count=10"), true),
            Map.entry(List.of("consume"), false),
            Map.entry(List.of("consume", "--duration", "1h"), false),
            Map.entry(List.of("generate", "--rate", "50"), false),
            Map.entry(List.of("--config", "consume", "run"), false),
            Map.entry(List.of("run"), false),
            Map.entry(List.of("collect", "--port", "8080"), false),
            Map.entry(List.of("bench", "consume", "--cold-events", "1000"), false),
            Map.entry(List.of("-v"), false),
            Map.entry(List.of(), false));

    @Test
    void onlyCommandsThatEndByThemselvesGetTheFirstTierOnlyJit() {
        COMMAND_LINES.forEach((args, finite) -> assertThat(LauncherFlags.finite(args.toArray(String[]::new)))
                .as("%s", args).isEqualTo(finite));
    }

    @Test
    void benchmarkChildrenGetTheLauncherFlagsPlusTheFiniteOnes() {
        assertThat(LauncherFlags.forCommand("consume", "--until-empty")).containsAll(LauncherFlags.base()).contains(FINITE_FLAG);
        assertThat(LauncherFlags.forCommand("consume")).isEqualTo(LauncherFlags.base());
    }

    @Test
    void theLauncherDecidesAsTheBenchmarksDo(@TempDir Path home) throws Exception {
        Path launcher = Path.of("bin/eventpipe").toAbsolutePath();
        Files.createDirectories(home.resolve("bin"));
        Files.copy(launcher, home.resolve("bin/eventpipe"));
        // A jar that is not stale (no sources in this home), and a java that prints what it is given.
        Files.createDirectories(home.resolve("target"));
        Files.writeString(home.resolve("target/eventpipe.jar"), "not a jar");
        Path java = Files.createDirectories(home.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<List<String>, Boolean> e : COMMAND_LINES.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/eventpipe").toString()));
            cmd.addAll(e.getKey());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", home.resolve("jdk").toString());
            pb.environment().remove("EVENTPIPE_JAVA_OPTS");
            pb.environment().remove("EVENTPIPE_FINITE_JAVA_OPTS");
            Process p = pb.start();
            List<String> printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.waitFor()).as("%s: %s", e.getKey(), printed).isZero();
            int jar = printed.indexOf("-jar");
            assertThat(jar).as("%s: %s", e.getKey(), printed).isPositive();
            assertThat(printed.subList(0, jar).contains(FINITE_FLAG)).as("%s: %s", e.getKey(), printed).isEqualTo(e.getValue());
            assertThat(printed.subList(jar + 2, printed.size())).as("the arguments pass through").isEqualTo(e.getKey());
            assertThat(printed).as("benchmarks learn the finite flags").contains("-Deventpipe.java.finite.opts=" + FINITE_FLAG);
        }
    }
}
