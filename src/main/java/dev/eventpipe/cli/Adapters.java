package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.DfsSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;

/** Builds the adapters the settings choose; the only place outside {@code run} that knows them. */
final class Adapters {

    private Adapters() {
    }

    /**
     * The queue of {@code [aws]}.
     *
     * @param threads how many threads will call it at once (sizes the connection pool)
     * @throws CommandException when the embedded endpoint is chosen and no server listens on its port
     */
    static EventBus eventBus(Settings settings, int threads) {
        AwsSettings aws = settings.aws();
        if (aws.endpoint().kind() == AwsSettings.QueueKind.EMBEDDED && !EmbeddedQueueServer.isListening(aws.embeddedPort())) {
            throw CommandException.failure("no queue server listens on 127.0.0.1:" + aws.embeddedPort()
                    + " ([aws] endpoint = embedded): start one with 'eventpipe queue-server', or use 'eventpipe run'");
        }
        return new SqsEventBus(SqsClients.create(aws, threads + 2), aws);
    }

    /** The file store of {@code [dfs]}: a local folder or an S3 bucket. */
    static ObjectStore objectStore(Settings settings, int threads) {
        DfsSettings dfs = settings.dfs();
        return switch (dfs.type()) {
            case LOCAL -> new LocalObjectStore(dfs.path());
            case S3 -> new S3ObjectStore(S3Clients.create(settings.aws(), threads + 2), settings.aws().s3Bucket(), dfs.prefix());
        };
    }
}
