package dev.eventpipe.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code [collector]}: the HTTP collector (Segment's Tracking API) that {@code eventpipe collect} and
 * {@code eventpipe run} serve.
 *
 * @param port             the HTTP port
 * @param bind             the address listened on: an IP literal, or {@code localhost}
 * @param writeKeys        the write keys accepted (HTTP Basic user name, or the body's {@code writeKey});
 *                         empty: any request is accepted, which the settings allow only on a loopback address
 * @param allowedOrigins   browser origins allowed by CORS ({@code *}: any), as Jetty's origin patterns
 * @param maxInflightBytes request bytes held at most (bodies, unpacked bodies, mapped events) until SQS took
 *                         them; above it new requests are answered 503
 * @param maxConnections   open connections at most; beyond it the server accepts no more until one closes
 * @param batchWaitMillis  the longest a request's events wait for other requests' to share an SQS call
 */
public record CollectorSettings(int port, String bind, List<String> writeKeys, List<String> allowedOrigins,
                                long maxInflightBytes, int maxConnections, int batchWaitMillis) {

    static final String SECTION = "collector";

    /** Letters, digits and {@code - _ . ~ + / =}: what Segment-style write keys are made of, never a ':' (Basic auth splits there). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~+/=-]{1,256}");

    static CollectorSettings read(SettingsReader r) {
        int port = r.integer(SECTION, "port", 8088, 1, 65535);
        String bind = r.parse(SECTION, "bind", "127.0.0.1", s -> {
            if (!isLoopbackName(s) && !isIpLiteral(s)) {
                throw new IllegalArgumentException(s);
            }
            return s;
        }, "must be an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost");
        List<String> keys = r.list(SECTION, "write_keys", "");
        for (String k : keys) {
            if (!KEY.matcher(k).matches()) {
                throw r.invalid(SECTION, "write_keys", "each key must be 1 to 256 letters, digits or '._~+/=-'");
            }
        }
        if (keys.isEmpty() && !isLoopback(bind)) {
            throw r.invalid(SECTION, "write_keys", "must name at least one key while [collector] bind = '" + bind
                    + "' is not a loopback address (without keys anyone who reaches the port could send events)");
        }
        List<String> origins = r.list(SECTION, "allowed_origins", "*");
        for (String o : origins) {
            if (!o.equals("*") && !o.matches("https?://[A-Za-z0-9.*\\[\\]:-]+")) {
                throw r.invalid(SECTION, "allowed_origins", "each origin must be '*' or like https://app.example.com"
                        + " (scheme and host, an optional port; '*' in the host for any part)");
            }
        }
        long inflight = r.longInteger(SECTION, "max_inflight_bytes", 64L << 20, 1L << 20, 64L << 30);
        int connections = r.integer(SECTION, "max_connections", 4096, 1, 1_000_000);
        int wait = r.integer(SECTION, "batch_wait_ms", 10, 0, 20);
        return new CollectorSettings(port, bind, keys, origins, inflight, connections, wait);
    }

    /** Whether the collector is reachable from this host only. */
    public boolean loopbackOnly() {
        return isLoopback(bind);
    }

    private static boolean isLoopbackName(String s) {
        return s.toLowerCase(Locale.ROOT).equals("localhost");
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") && s.split("\\.", -1).length == 4 || s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
    }

    static boolean isLoopback(String bind) {
        if (isLoopbackName(bind)) {
            return true;
        }
        try {
            // An IP literal: no name is looked up.
            return isIpLiteral(bind) && InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
