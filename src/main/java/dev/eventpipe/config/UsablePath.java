package dev.eventpipe.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a folder or file named in the settings cannot be used, found before a command starts: a folder
 * that does not exist must be creatable (its nearest existing parent a writable folder), one that
 * exists must be writable. Nothing is created; writability is tried with a hidden file, removed at once,
 * because permission bits do not tell (root, read-only mounts, ACLs).
 */
final class UsablePath {

    private UsablePath() {
    }

    /** Why {@code folder} cannot be created or written, if it cannot. */
    static Optional<String> folderProblem(Path folder) {
        return creatable(folder, folder);
    }

    /** Why the file {@code file} ({@code what}, for the message) cannot be created or written beside, if it cannot. */
    static Optional<String> fileProblem(Path file, String what) {
        if (Files.isDirectory(file)) {
            return Optional.of("is a folder, not " + what);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            return Optional.of("cannot be written: permission denied");
        }
        return creatable(file, file.getParent());
    }

    /** {@code target} is made in {@code folder} (itself, or its parent for a file). */
    private static Optional<String> creatable(Path target, Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.of("cannot be created: no part of it exists");
        }
        boolean itself = existing.equals(target);
        Path found = existing;
        if (!Files.isDirectory(found)) {
            return Optional.of(itself ? "is a file, not a folder" : "cannot be created: '" + found + "' is a file, not a folder");
        }
        return writeProblem(found).map(why -> itself ? "cannot be written: " + why
                : "cannot be created: '" + found + "' cannot be written: " + why);
    }

    private static Optional<String> writeProblem(Path folder) {
        try {
            Path probe = Files.createTempFile(folder, ".eventpipe-", ".probe");
            Files.delete(probe);
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("permission denied");
        } catch (FileSystemException e) {
            return Optional.of(e.getReason() != null ? e.getReason() : e.getMessage());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }
}
