package dev.eventpipe.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads back what a file store holds. */
public final class StoreContents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreContents() {
    }

    public static List<String> keys(ObjectStore store, String prefix) {
        try (Stream<StoredObject> s = store.list(prefix)) {
            return s.map(StoredObject::key).toList();
        }
    }

    /** Every JSON line of every file under {@code prefix}. */
    public static List<JsonNode> events(ObjectStore store, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        for (String key : keys(store, prefix)) {
            try (InputStream in = store.open(key); BufferedReader r = NdjsonGzip.reader(in)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(key, e);
            }
        }
        return out;
    }

    /** The ids of every event under {@code prefix}, duplicates included. */
    public static List<String> ids(ObjectStore store, String prefix) {
        return events(store, prefix).stream().map(n -> n.get("id").asText()).toList();
    }
}
