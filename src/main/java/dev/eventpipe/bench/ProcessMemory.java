package dev.eventpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process and the CPU time of finished child processes, from Linux's /proc. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** The peak resident set size of {@code pid} in bytes so far. */
    public static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * The CPU time (user and system) of this process's children that have ended and been waited for, from
     * {@code /proc/self/stat} (cutime, cstime, in USER_HZ ticks: 100 a second on Linux); NaN where /proc is not there.
     */
    public static double reapedChildrenCpuSeconds() {
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
