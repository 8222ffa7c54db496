package dev.eventpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process, from Linux's /proc (VmHWM); 0 where /proc is not there. */
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
}
