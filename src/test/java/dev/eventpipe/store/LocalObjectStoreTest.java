package dev.eventpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path dir;

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }

    @Test
    void aHalfWrittenTempFileIsNeverListed() throws IOException {
        Path partition = dir.resolve("dfs/incoming/events/dt=2026-11-24");
        Files.createDirectories(partition);
        Files.writeString(partition.resolve(".a.ndjson.gz.tmp-123"), "half");
        store.put("incoming/events/dt=2026-11-24/b.ndjson.gz", "whole".getBytes());
        try (Stream<StoredObject> s = store.list("incoming/")) {
            assertThat(s.map(StoredObject::key)).containsExactly("incoming/events/dt=2026-11-24/b.ndjson.gz");
        }
    }

    @Test
    void aPutLeavesNoTempFileBehind() throws IOException {
        store.put("incoming/events/dt=2026-11-24/a.ndjson.gz", "x".getBytes());
        try (Stream<Path> files = Files.list(dir.resolve("dfs/incoming/events/dt=2026-11-24"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.ndjson.gz");
        }
    }

    @Test
    void keysCannotEscapeTheRoot() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put("../outside", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
