package dev.eventpipe.lake;

import dev.eventpipe.store.ObjectStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One compaction at a time per lake: two would plan overlapping generations and commit some rows
 * twice. On a local store, an OS file lock on {@code lake/.compact.lock} (hidden: never listed)
 * keeps other processes on this machine out; inside a process, a lock per store location. An S3
 * store offers no lock here, so there only the process lock holds: schedule compaction in one
 * place (one {@code run}, or one host's cron).
 */
final class CompactionLock implements AutoCloseable {

    static final String KEY = "lake/.compact.lock";
    private static final Map<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock process;
    private final FileChannel channel;
    private final FileLock file;

    private CompactionLock(ReentrantLock process, FileChannel channel, FileLock file) {
        this.process = process;
        this.channel = channel;
        this.file = file;
    }

    /** The lock, or empty when another compaction holds it. */
    static Optional<CompactionLock> tryTake(ObjectStore store) {
        ReentrantLock process = IN_PROCESS.computeIfAbsent(store.location(), l -> new ReentrantLock());
        if (!process.tryLock()) {
            return Optional.empty();
        }
        Optional<Path> local = store.localFile(KEY);
        if (local.isEmpty()) {
            return Optional.of(new CompactionLock(process, null, null));
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(local.get().getParent());
            ch = FileChannel.open(local.get(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                process.unlock();
                return Optional.empty();
            }
            return Optional.of(new CompactionLock(process, ch, lock));
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            process.unlock();
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(ch);
            process.unlock();
            throw new dev.eventpipe.store.StoreException("cannot open the compaction lock '" + local.get() + "': " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock either way
            }
        }
    }

    @Override
    public void close() {
        try {
            if (file != null) {
                file.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            process.unlock();
        }
    }
}
