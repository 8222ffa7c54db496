package dev.eventpipe.ingest;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreConsumerIT extends ConsumerContract {

    @TempDir
    Path dir;

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }
}
