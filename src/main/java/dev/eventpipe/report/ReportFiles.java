package dev.eventpipe.report;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where report files go and what they are called. Each file is written to the local folder
 * ({@code [report] out}: a hidden temp file, fsynced, renamed into place, so a browser never reads
 * half a PNG) and to the file store under {@code reports/} (one put). A chart has timestamped files,
 * {@code <name>-<yyyyMMdd-HHmmss>.png} and {@code .svg} (UTC), and the stable
 * {@code <name>-latest.png} and {@code .svg} the dashboard shows. Only the newest {@link #KEEP}
 * timestamped files per chart and format are kept, in both places.
 */
final class ReportFiles {

    /** Timestamped files kept per chart and format (a day of hourly reports). */
    static final int KEEP = 24;
    static final String DASHBOARD = "index.html";
    static final List<String> FORMATS = List.of("png", "svg");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path out;
    private final ObjectStore store;

    ReportFiles(Path out, ObjectStore store) {
        this.out = out.toAbsolutePath().normalize();
        this.store = store;
    }

    Path out() {
        return out;
    }

    static String stamp(Instant at) {
        return STAMP.format(at);
    }

    /** {@code <name>-<stamp>.<format>}. */
    static String timestamped(String name, Instant at, String format) {
        return name + "-" + stamp(at) + "." + format;
    }

    /** {@code <name>-latest.<format>}. */
    static String latest(String name, String format) {
        return name + "-latest." + format;
    }

    /** Writes {@code data} as {@code fileName} in the folder and under {@code reports/} in the store. */
    void write(String fileName, byte[] data) {
        writeLocal(out.resolve(fileName), data);
        store.put(DfsLayout.REPORTS + fileName, data);
    }

    private static void writeLocal(Path target, byte[] data) {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a hidden leftover costs only space
            }
            throw new UncheckedIOException("cannot write report file '" + target + "': " + e.getMessage(), e);
        }
    }

    /**
     * Deletes all but the newest {@link #KEEP} timestamped files of chart {@code name}, per format,
     * in the folder and in the store; returns how many were deleted. Names sort by time (the stamp
     * is fixed-width), and the pattern matches this chart's files only, never another chart whose
     * name starts the same.
     */
    int prune(String name) {
        int deleted = 0;
        for (String format : FORMATS) {
            Pattern mine = Pattern.compile(Pattern.quote(name) + "-\\d{8}-\\d{6}\\." + format);
            for (String old : beyondKeep(localNames(), mine)) {
                try {
                    Files.deleteIfExists(out.resolve(old));
                    deleted++;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete old report file '" + out.resolve(old) + "'", e);
                }
            }
            for (String old : beyondKeep(storeNames(name), mine)) {
                store.delete(DfsLayout.REPORTS + old);
                deleted++;
            }
        }
        return deleted;
    }

    private static List<String> beyondKeep(List<String> names, Pattern mine) {
        List<String> matching = new ArrayList<>(names.stream().filter(n -> mine.matcher(n).matches()).toList());
        matching.sort(Comparator.reverseOrder());
        return matching.size() <= KEEP ? List.of() : matching.subList(KEEP, matching.size());
    }

    private List<String> localNames() {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list report folder '" + out + "'", e);
        }
    }

    private List<String> storeNames(String name) {
        try (Stream<StoredObject> objects = store.list(DfsLayout.REPORTS + name + "-")) {
            return objects.map(o -> o.key().substring(DfsLayout.REPORTS.length())).toList();
        }
    }
}
