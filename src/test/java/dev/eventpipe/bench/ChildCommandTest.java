package dev.eventpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildCommandTest {

    /** A child that spins a core for the given milliseconds, or sleeps that long with "sleep". */
    public static final class Work {
        public static void main(String[] args) throws InterruptedException {
            long millis = Long.parseLong(args[1]);
            if (args[0].equals("sleep")) {
                Thread.sleep(millis);
                return;
            }
            long end = System.nanoTime() + millis * 1_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += x * 31 + 7;
            }
            System.out.println(x);
        }
    }

    @Test
    void aChildsCpuTimeIsItsOwnToItsExit(@TempDir Path dir) throws Exception {
        ChildCommand.Outcome busy = ChildCommand.runMain(dir, Map.of(), List.of(), Work.class.getName(), "spin", "1500");
        ChildCommand.Outcome idle = ChildCommand.runMain(dir, Map.of(), List.of(), Work.class.getName(), "sleep", "1500");

        assertThat(busy.exitCode()).isZero();
        assertThat(idle.exitCode()).isZero();
        // Both take the same wall time; only the spinning one uses a core for it (JVM start and exit aside).
        assertThat(busy.seconds()).isGreaterThanOrEqualTo(1.5);
        assertThat(idle.seconds()).isGreaterThanOrEqualTo(1.5);
        assertThat(busy.cpuSeconds()).isGreaterThanOrEqualTo(1.4);
        assertThat(idle.cpuSeconds()).isLessThan(busy.cpuSeconds() - 1.0);
        assertThat(idle.cpuSeconds()).isGreaterThan(0);
    }
}
