package dev.eventpipe.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stop inside a load's transaction, after its rows and ledger entries are written and before the
 * commit, for the fault suite's "loader killed mid-transaction" case: with the system property
 * {@value #PROPERTY} naming a file, the load writes that file (what the transaction holds) and waits
 * there until the process is killed. Killing on a timer could land before the transaction began.
 * Without the property (every run outside that test) it does nothing.
 */
final class HoldBeforeCommit {

    static final String PROPERTY = "eventpipe.test.hold-before-commit";

    private HoldBeforeCommit() {
    }

    /** Holds for ever when the property is set; returns at once otherwise. */
    static void atCommit(int files, long rows) {
        String marker = System.getProperty(PROPERTY);
        if (marker == null || marker.isBlank()) {
            return;
        }
        Path file = Path.of(marker);
        try {
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "hold", ".tmp");
            Files.writeString(temp, files + " files, " + rows + " rows", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + PROPERTY + " marker '" + file + "'", e);
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("held before commit, then interrupted: nothing committed");
            }
        }
    }
}
