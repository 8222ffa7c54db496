package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.ConsumerSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.ingest.Consumer;
import dev.eventpipe.ingest.ConsumerOptions;
import dev.eventpipe.ingest.ConsumerSummary;
import dev.eventpipe.store.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe consume}: the long-polling consumer from the queue into the file store. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Long-poll the queue and write events as gzip NDJSON files to the file store,",
                "incoming/events/dt=YYYY-MM-DD/, one file per event date and batch; a message is deleted only",
                "after every event it carried is in a durable file. Invalid messages go to the dead-letter",
                "queue with their reason. Ctrl-C or SIGTERM: stop polling, write, delete, exit 0."})
final class ConsumeCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--pollers", paramLabel = "N", description = "Polling threads (default: [consumer] pollers).")
    private Integer pollers;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class, description = "Stop after D (30s, 5m, 1h).")
    private Duration duration;

    @Option(names = "--until-empty", description = "Stop once the queue is empty (receives do not wait; a drain ends within a second of the last message).")
    private boolean untilEmpty;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path summaryJson;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS);
        ConsumerSettings c = settings.consumer();
        int p = pollers != null ? pollers : c.pollers();
        if (p < 1 || p > 256) {
            throw CommandException.usage("--pollers must be from 1 to 256, got " + p);
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw CommandException.usage("--duration must be more than 0");
        }
        int wait = settings.aws().sqsPollingTimeout();
        // Draining, receives do not wait (a poller pauses 100 ms after an empty one). A long poll returns at once
        // while messages are left, so it only held back the end: as the queue ran dry every poller sat out its wait
        // on an empty queue before the last file could be written, and the stop waited for the receives under way
        // (of a 200,000-event drain's 17-19 s, 1.2 s from the last full file to the last one and 0.7 s to stop).
        ConsumerOptions options = ConsumerOptions.from(settings, p, Duration.ofSeconds(untilEmpty ? 0 : wait),
                untilEmpty, duration, Duration.ofSeconds(10));
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install();
        ObjectStore store = Adapters.objectStore(settings, p);
        store.ensureReady();
        ConsumerSummary summary;
        Consumer consumer;
        // Each poller has a deleter beside it (the consumer's acker threads): a connection for each.
        try (EventBus bus = Adapters.eventBus(settings, 2 * p)) {
            consumer = new Consumer(bus, store, new EventCodec(settings.events().maxEventBytes()), options, Clock.systemUTC());
            stop.onStop(consumer::stop);
            summary = consumer.run();
        }
        out.println(line(summary));
        out.flush();
        if (summaryJson != null) {
            Path parent = summaryJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryJson.toFile(), summary);
        }
        if (consumer.failure().isPresent()) {
            throw CommandException.failure(EventPipe.describe(consumer.failure().get()));
        }
        return EventPipe.EXIT_OK;
    }

    static String line(ConsumerSummary s) {
        String rejected = s.rejectedTotal() == 0 ? "0 rejected" : s.rejectedTotal() + " rejected (" + s.rejected().entrySet()
                .stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
        return String.format("consume: %d messages, %d valid events, %s, %d files (%.1f MB), %d messages deleted%s, %.1f s, %.0f events/s",
                s.receivedMessages(), s.validEvents(), rejected, s.files(), s.fileBytes() / 1e6, s.deletedMessages(),
                s.keptMessages() > 0 ? ", " + s.keptMessages() + " left for redelivery" : "", s.seconds(), s.eventsPerSec());
    }
}
