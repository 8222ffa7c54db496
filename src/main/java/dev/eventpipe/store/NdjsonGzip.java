package dev.eventpipe.store;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The event file format: NDJSON (one JSON object per line, UTF-8, each line ending in a newline)
 * compressed as one gzip member. {@link Writer} compresses as lines arrive, so a batch held in
 * memory costs its compressed size.
 */
public final class NdjsonGzip {

    private NdjsonGzip() {
    }

    /** Builds one file in memory. Not thread-safe. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes;
        private final GZIPOutputStream gzip;
        private long rawBytes;
        private int lines;
        private boolean finished;

        /** @param level 1 (fastest) to 9 (smallest) */
        public Writer(int level) {
            this.bytes = new ByteArrayOutputStream(8 * 1024);
            try {
                this.gzip = new GZIPOutputStream(bytes, 8 * 1024) {
                    {
                        def.setLevel(level);
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Appends one line; {@code json} must not contain a newline. */
        public void line(byte[] json) {
            try {
                gzip.write(json);
                gzip.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rawBytes += json.length + 1;
            lines++;
        }

        public int lines() {
            return lines;
        }

        /** Compressed bytes so far (what the stream has flushed to its output). */
        public long compressedBytes() {
            return bytes.size();
        }

        /** Bytes of JSON appended so far (before compression). */
        public long rawBytes() {
            return rawBytes;
        }

        /** Ends the gzip stream and returns the file's bytes. The writer cannot be used after. */
        public byte[] finish() {
            if (!finished) {
                try {
                    gzip.finish();
                    gzip.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                finished = true;
            }
            return bytes.toByteArray();
        }
    }

    /**
     * Reads the lines of a file. Fails with an {@link IOException} (as {@link UncheckedIOException}
     * from the iterator) when the gzip stream is broken or ends early.
     */
    public static BufferedReader reader(InputStream file) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(file, 64 * 1024), StandardCharsets.UTF_8), 64 * 1024);
    }

    /** One file's bytes from lines, for tests and tools. */
    public static byte[] of(int level, Iterable<String> lines) {
        Writer w = new Writer(level);
        for (String line : lines) {
            w.line(line.getBytes(StandardCharsets.UTF_8));
        }
        return w.finish();
    }
}
