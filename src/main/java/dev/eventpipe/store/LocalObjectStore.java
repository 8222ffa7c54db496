package dev.eventpipe.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link ObjectStore} on a local folder (or a shared mount). A put writes a hidden temp file beside
 * the target, fsyncs it, renames it into place atomically and fsyncs the folder, so a crash leaves
 * either the whole file or none. Hidden files (a leading dot) are never listed.
 */
public final class LocalObjectStore implements ObjectStore {

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public String ensureReady() {
        try {
            boolean existed = Files.isDirectory(root);
            Files.createDirectories(root);
            return "file store '" + root + "' " + (existed ? "unchanged" : "created");
        } catch (IOException e) {
            throw failure("cannot create the file store folder '" + root + "': " + e.getMessage(), e);
        }
    }

    private Path path(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("bad key '" + key + "'");
        }
        return root.resolve(key);
    }

    @Override
    public void put(String key, byte[] data) {
        Path target = path(key);
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            rename(temp, target);
            fsyncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the hidden temp file is never listed; leaving it costs only space
            }
            throw failure("cannot write '" + target + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void putFile(String key, Path file) {
        Path target = path(key);
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Files.copy(file, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            rename(temp, target);
            fsyncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the hidden temp file is never listed; leaving it costs only space
            }
            throw failure("cannot write '" + target + "' from '" + file + "': " + e.getMessage(), e);
        }
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename in {@code dir} durable (POSIX: the entry lives in the folder's own data). */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for reading; the rename itself is still atomic
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new StoreException("no object '" + key + "' in '" + root + "'", true, e);
        } catch (IOException e) {
            throw new StoreException("cannot read '" + key + "' in '" + root + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Stream<StoredObject> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        List<StoredObject> found = new ArrayList<>();
        try {
            Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
                        String key = root.relativize(file).toString().replace('\\', '/');
                        if (key.startsWith(prefix)) {
                            found.add(new StoredObject(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                        }
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    // a file renamed or removed while we walk (another loader, a consumer's temp file) is skipped
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StoreException("cannot list '" + prefix + "' in '" + root + "': " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(StoredObject::key));
        return found.stream();
    }

    @Override
    public void move(String from, String to) {
        Path source = path(from);
        Path target = path(to);
        try {
            Files.createDirectories(target.getParent());
            // No fsync: a move lost in a crash leaves the file where it was, and every mover (the loader)
            // can repeat it; only a put must be durable before it is acknowledged.
            rename(source, target);
        } catch (NoSuchFileException e) {
            if (!Files.exists(target)) {
                throw new StoreException("cannot move '" + from + "': it is neither there nor at '" + to + "'", true, e);
            }
        } catch (IOException e) {
            throw new StoreException("cannot move '" + from + "' to '" + to + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new StoreException("cannot delete '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public java.util.Optional<Path> localFile(String key) {
        return java.util.Optional.of(path(key));
    }

    /**
     * A failure as retriable or not, decided here where its cause is known: a refused permission, a
     * read-only file system or a path through a file will not pass by waiting; a full disk may.
     */
    static StoreException failure(String message, IOException e) {
        String m = String.valueOf(e.getMessage());
        boolean fatal = e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.NotDirectoryException
                || e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                && (f.getReason().contains("Not a directory") || f.getReason().contains("Read-only file system")
                || f.getReason().contains("Permission denied"))
                || m.contains("Read-only file system");
        return fatal ? StoreException.fatal(message, e) : new StoreException(message, e);
    }

    /** Reads a whole object (small ones: reason files, reports). */
    public static byte[] readAll(ObjectStore store, String key) {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
