package dev.eventpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.DfsSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.config.SettingsException;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.ingest.BatchIngest;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serverless consumer: an AWS Lambda handler on the SQS event source ({@code SQSEvent} in,
 * {@code SQSBatchResponse} out, with {@code ReportBatchItemFailures}). It decodes and validates each
 * message with the consumer's own code, dead-letters invalid parts with their reason, writes the valid
 * events of the invocation as one file per event date to the same layout, and reports as failures
 * exactly the messages whose lines could not be made durable: Lambda deletes all the others and
 * delivers those again.
 *
 * <p>Settings come from environment variables ({@code EVENTPIPE_<SECTION>_<KEY>}; Lambda has no
 * settings file) and are checked at cold start, which fails with the same one-line message as the CLI.
 * No connection is opened before the first invocation, so a SnapStart snapshot holds none: the SDK
 * clients open their connections when first used, after the restore.
 */
public final class SqsBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final BatchIngest ingest;

    /** What Lambda calls: settings from the environment. */
    public SqsBatchHandler() {
        this(fromEnvironment(System.getenv()));
    }

    SqsBatchHandler(BatchIngest ingest) {
        this.ingest = ingest;
    }

    /** The handler's parts, built from settings. */
    static BatchIngest fromEnvironment(Map<String, String> env) {
        Settings settings;
        try {
            settings = Settings.load(Path.of("/nonexistent/eventpipe-lambda.ini"), false, env);
        } catch (SettingsException e) {
            // The init fails with the one line the CLI would print: Lambda shows it in the function's log.
            throw new IllegalStateException("eventpipe lambda: bad settings: " + e.getMessage(), null);
        }
        return build(settings, Clock.systemUTC());
    }

    static BatchIngest build(Settings settings, Clock clock) {
        EventBus bus = new SqsEventBus(SqsClients.create(settings.aws(), 4), settings.aws());
        DfsSettings dfs = settings.dfs();
        ObjectStore store = switch (dfs.type()) {
            case LOCAL -> new LocalObjectStore(dfs.path());
            case S3 -> new S3ObjectStore(S3Clients.create(settings.aws(), 4), settings.aws().s3Bucket(), dfs.prefix());
        };
        return new BatchIngest(bus, store, new EventCodec(settings.events().maxEventBytes()),
                Duration.ofSeconds(settings.aws().sqsVisibilityTimeout()), settings.consumer().gzipLevel(), clock,
                new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 3));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<QueueMessage> messages = new ArrayList<>(event.getRecords().size());
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            messages.add(message(m));
        }
        BatchIngest.Result r = ingest.ingest(messages);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>(r.failed().size());
        for (String id : r.failed()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The queue message as the consumer sees it: body, receipt, receive count, the queue's send time, string attributes. */
    static QueueMessage message(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = new HashMap<>();
        if (m.getMessageAttributes() != null) {
            m.getMessageAttributes().forEach((k, v) -> {
                if (v != null && v.getStringValue() != null) {
                    attributes.put(k, v.getStringValue());
                }
            });
        }
        Map<String, String> system = m.getAttributes() == null ? Map.of() : m.getAttributes();
        String count = system.get("ApproximateReceiveCount");
        String sent = system.get("SentTimestamp");
        return new QueueMessage(m.getMessageId(), m.getBody(), m.getReceiptHandle(), count == null ? 1 : Integer.parseInt(count),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)), attributes);
    }
}
