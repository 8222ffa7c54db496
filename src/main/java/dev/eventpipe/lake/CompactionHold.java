package dev.eventpipe.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stop between two steps of a compaction, for the tests that kill it there: with the system
 * property {@value #PROPERTY} set to {@code <point>=<marker file>}, the compaction writes the marker
 * when it reaches that point and waits there until the process is killed. Killing on a timer could
 * land anywhere. Without the property (every run outside those tests) it does nothing.
 *
 * <p>The points: {@code planned} (the generation's record is written, its Parquet file not yet),
 * {@code committed} (the Parquet file is in place, no source deleted yet), {@code deleting} (one
 * source deleted, the others not yet).
 */
final class CompactionHold {

    static final String PROPERTY = "eventpipe.test.hold-compaction";

    private CompactionHold() {
    }

    /** Holds for ever when the property names {@code point}; returns at once otherwise. */
    static void at(String point, String what) {
        String value = System.getProperty(PROPERTY);
        if (value == null || !value.startsWith(point + "=")) {
            return;
        }
        Path marker = Path.of(value.substring(point.length() + 1));
        try {
            Path temp = Files.createTempFile(marker.toAbsolutePath().getParent(), "hold", ".tmp");
            Files.writeString(temp, what, StandardCharsets.UTF_8);
            Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + PROPERTY + " marker '" + marker + "'", e);
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("held at '" + point + "', then interrupted");
            }
        }
    }
}
