package dev.eventpipe.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 load generator as lean as a client can be (so that on a shared machine the server gets the
 * CPU): one keep-alive socket per connection, prebuilt requests, a response read by its status line and
 * Content-Length. Closed loop (each connection sends its next request when the answer came: the peak) or
 * open loop (requests at a fixed rate, latency counted from when each was due, so a stall is not hidden).
 */
public final class HttpLoad {

    /** What a phase measured. */
    public record Result(long ok, long failed, double seconds, long[] latenciesNanos) {

        public double perSecond() {
            return ok / seconds;
        }

        /** This phase and {@code other} as one: their requests, time and latencies together. */
        public Result plus(Result other) {
            long[] all = Arrays.copyOf(latenciesNanos, latenciesNanos.length + other.latenciesNanos.length);
            System.arraycopy(other.latenciesNanos, 0, all, latenciesNanos.length, other.latenciesNanos.length);
            return new Result(ok + other.ok, failed + other.failed, seconds + other.seconds, all);
        }

        /** The {@code q} quantile (0.5, 0.99) of the answered requests' latencies, in ms. */
        public double quantileMillis(double q) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }

    private final String host;
    private final int port;
    private final List<byte[]> requests;

    /**
     * @param requests whole requests (line, headers, body), sent in turn
     */
    public HttpLoad(String host, int port, List<byte[]> requests) {
        this.host = host;
        this.port = port;
        this.requests = requests;
    }

    /** A POST of {@code body} to {@code path} with the given extra header lines (each ending in CRLF). */
    public static byte[] post(String path, String headers, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** {@code connections} connections, each sending as soon as it has its answer, for {@code time}. */
    public Result closedLoop(int connections, Duration time) throws Exception {
        return run(connections, time, 0);
    }

    /** {@code rate} requests per second in all, spread over {@code connections}, for {@code time}. */
    public Result openLoop(int connections, Duration time, double rate) throws Exception {
        return run(connections, time, rate);
    }

    private Result run(int connections, Duration time, double rate) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int index = c;
                futures.add(pool.submit(() -> connection(index, connections, start, end, rate, next)));
            }
            long ok = 0;
            long failed = 0;
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                ok += r[0];
                failed += r[1];
                all.add(Arrays.copyOfRange(r, 2, 2 + (int) r[0]));
            }
            long[] latencies = all.stream().flatMapToLong(Arrays::stream).toArray();
            return new Result(ok, failed, (System.nanoTime() - start) / 1e9, latencies);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One connection's loop: {ok, failed, latencies...}. */
    private long[] connection(int index, int connections, long start, long end, double rate, AtomicInteger next) throws IOException {
        // Grown as needed: hundreds of connections each holding a large array made the load generator's own
        // garbage collections stall every connection (pauses of 100 to 370 ms in an open loop's p99).
        long[] out = new long[1024];
        long ok = 0;
        long failed = 0;
        double interval = rate > 0 ? 1e9 * connections / rate : 0;
        long due = start + (long) (interval * index / connections);
        Socket socket = null;
        InputStream in = null;
        OutputStream os = null;
        while (true) {
            long now = System.nanoTime();
            if (rate > 0) {
                if (due >= end) {
                    break;
                }
                if (due > now) {
                    sleepNanos(due - now);
                }
            } else if (now >= end) {
                break;
            }
            long sentAt = rate > 0 ? due : System.nanoTime();
            due += (long) interval;
            try {
                if (socket == null) {
                    socket = new Socket(host, port);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    os = socket.getOutputStream();
                }
                os.write(requests.get(Math.floorMod(next.getAndIncrement(), requests.size())));
                os.flush();
                Answer a = readAnswer(in);
                long latency = System.nanoTime() - sentAt;
                if (a.status() == 200) {
                    if (ok + 2 >= out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[(int) (2 + ok)] = latency;
                    ok++;
                } else {
                    failed++;
                }
                if (a.close()) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException e) {
                failed++;
                if (socket != null) {
                    socket.close();
                }
                socket = null;
            }
        }
        if (socket != null) {
            socket.close();
        }
        out[0] = ok;
        out[1] = failed;
        return out;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int status, boolean close) {
    }

    /** Reads one response: its status, and whether the server closes the connection after it. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status.length() < 12) {
            throw new IOException("no status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean close = false;
        String h;
        while (!(h = line(in)).isEmpty()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                close = true;
            }
        }
        in.skipNBytes(length);
        return new Answer(code, close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0 && b.length() == 0) {
            throw new IOException("the connection closed");
        }
        return b.toString();
    }
}
