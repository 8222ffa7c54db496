package dev.eventpipe.collect;

import java.util.HashMap;
import java.util.Map;

/** The paths of Segment's HTTP Tracking API that the collector takes, with the short ones analytics.js posts to. */
enum Endpoint {
    TRACK("/v1/track", "/v1/t", "track"),
    PAGE("/v1/page", "/v1/p", "page"),
    SCREEN("/v1/screen", "/v1/s", "screen"),
    IDENTIFY("/v1/identify", "/v1/i", "identify"),
    GROUP("/v1/group", "/v1/g", "group"),
    ALIAS("/v1/alias", "/v1/a", "alias"),
    BATCH("/v1/batch", "/v1/b", null),
    IMPORT("/v1/import", null, null);

    private static final Map<String, Endpoint> BY_PATH = new HashMap<>();

    static {
        for (Endpoint e : values()) {
            BY_PATH.put(e.path, e);
            if (e.shortPath != null) {
                BY_PATH.put(e.shortPath, e);
            }
        }
    }

    private final String path;
    private final String shortPath;
    private final String type;

    Endpoint(String path, String shortPath, String type) {
        this.path = path;
        this.shortPath = shortPath;
        this.type = type;
    }

    /** The endpoint of {@code path} ({@code /v1/track/} too), or null. */
    static Endpoint of(String path) {
        Endpoint e = BY_PATH.get(path);
        if (e == null && path.length() > 1 && path.endsWith("/")) {
            e = BY_PATH.get(path.substring(0, path.length() - 1));
        }
        return e;
    }

    /** The long path: how metrics and logs name it, whichever of the two was asked for. */
    String path() {
        return path;
    }

    /** The Segment type a one-call path implies, or null for a batch. */
    String type() {
        return type;
    }

    boolean batch() {
        return type == null;
    }
}
