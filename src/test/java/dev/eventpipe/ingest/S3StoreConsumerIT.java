package dev.eventpipe.ingest;

import dev.eventpipe.config.Settings;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.testkit.S3Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3StoreConsumerIT extends ConsumerContract {

    @RegisterExtension
    static S3Proxy s3 = new S3Proxy();

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @Override
    ObjectStore newStore() {
        String bucket = "consumer-" + BUCKETS.incrementAndGet();
        Settings settings = Settings.load(Path.of("none.ini"), false, s3.env(bucket));
        return new S3ObjectStore(S3Clients.create(settings.aws(), 16), bucket, "events");
    }
}
