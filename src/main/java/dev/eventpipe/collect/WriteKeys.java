package dev.eventpipe.collect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The write keys a request may carry: as the user name of HTTP Basic auth (what every Segment-style SDK
 * sends: {@code base64(key + ":")}) or as the body's {@code writeKey}. With no keys configured, every
 * request is taken (the settings allow that on a loopback address only).
 */
final class WriteKeys {

    private final List<byte[]> keys;

    WriteKeys(List<String> keys) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether any request is taken, with or without a key. */
    boolean open() {
        return keys.isEmpty();
    }

    /** Whether {@code key} is one of the keys (compared in constant time). */
    boolean accepts(String key) {
        if (open()) {
            return true;
        }
        if (key == null) {
            return false;
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] known : keys) {
            found |= MessageDigest.isEqual(known, k);
        }
        return found;
    }

    /** The user name of a Basic {@code Authorization} header, "" when the header is not Basic or unreadable, or null when absent. */
    static String fromBasic(String header) {
        if (header == null) {
            return null;
        }
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
