package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.bus.DeadLetterReplayer;
import dev.eventpipe.bus.DeadLetterView;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.event.Utf8;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe dlq}: the dead-letter queue by reason, and {@code dlq replay} to send dead letters back. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Show the dead-letter queue grouped by reason, with a count (each rejection once, however often",
                "its message was delivered) and an example detail per reason. Messages are read without being",
                "consumed: they stay on the queue."},
        subcommands = DlqCommand.Replay.class)
final class DlqCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10000", description = "Read at most N messages (default ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--json", description = "Print as JSON.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        if (limit < 1 || limit > 100_000) {
            throw CommandException.usage("--limit must be from 1 to 100000, got " + limit);
        }
        Settings settings = root.settings();
        DeadLetterView view;
        try (EventBus bus = Adapters.eventBus(settings, 1)) {
            view = DeadLetterView.read(bus, limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(view));
        } else {
            out.printf("dlq: '%s' holds about %,d messages; %,d read, %,d distinct rejections%s%n", settings.aws().sqsDeadLetterName(),
                    view.approximate(), view.read(), view.distinct(),
                    view.copies() == 0 ? "" : String.format(", %,d copies of a rejection already counted (a message delivered twice)", view.copies()));
            for (Map.Entry<String, Long> e : view.byReason().entrySet()) {
                out.printf("  %-16s %,8d   e.g. %s%n", e.getKey(), e.getValue(), view.samples().getOrDefault(e.getKey(), ""));
            }
            if (view.read() < view.approximate()) {
                out.printf("dlq: read the first %,d only (--limit)%n", view.read());
            }
        }
        out.flush();
        return EventPipe.EXIT_OK;
    }

    /** {@code eventpipe dlq replay}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Move dead letters back to the main queue, so events an older version rejected are taken again.",
                    "Each keeps the identity it was first rejected under: a replayed event is counted once, whether it",
                    "is accepted now or rejected again. With no --reason and no --limit the queue's own move task is",
                    "used where the service has one; otherwise messages are received, sent, then deleted, in that",
                    "order, so a crash can only duplicate (the loader drops the copy), never lose."})
    static final class Replay implements Callable<Integer> {

        @ParentCommand
        private DlqCommand parent;

        @Mixin
        private GlobalOptions globals;

        @Spec
        private CommandSpec spec;

        @Option(names = "--reason", paramLabel = "R", description = "Only dead letters of this reason (e.g. bad_timestamp; "
                + DeadLetterView.REDRIVEN + " for messages the redrive policy moved).")
        private String reason;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Move at most N messages (0, the default: all).")
        private long limit;

        @Override
        public Integer call() {
            if (limit < 0) {
                throw CommandException.usage("--limit must be 0 (all) or more, got " + limit);
            }
            if (reason != null && !reason.equals(DeadLetterView.REDRIVEN)
                    && Arrays.stream(RejectionReason.values()).noneMatch(r -> r.code().equals(reason))) {
                throw CommandException.usage("--reason must be one of: " + String.join(", ", Arrays.stream(RejectionReason.values())
                        .map(RejectionReason::code).toList()) + ", " + DeadLetterView.REDRIVEN + "; got '" + reason + "'");
            }
            Settings settings = parent.root.settings();
            ObjectStore store = Adapters.objectStore(settings, 1);
            long start = System.nanoTime();
            AtomicLong moved = new AtomicLong();
            DeadLetterReplayer.Result r;
            try (EventBus bus = Adapters.eventBus(settings, 1)) {
                r = new DeadLetterReplayer(bus, key -> read(store, key)).replay(reason, limit, moved::set);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("dlq replay: %s back to '%s'%s (%s) in %.1f s%n",
                    r.moved() < 0 ? "every dead letter moved" : String.format("%,d messages moved", r.moved()),
                    settings.aws().sqsName(), r.skipped() == 0 ? "" : String.format(", %,d left on the dead-letter queue", r.skipped()),
                    r.how(), (System.nanoTime() - start) / 1e9);
            out.flush();
            return EventPipe.EXIT_OK;
        }

        private static Optional<String> read(ObjectStore store, String key) {
            try (InputStream in = store.open(key)) {
                byte[] b = in.readAllBytes();
                return Optional.ofNullable(Utf8.decodeOrNull(b, 0, b.length));
            } catch (IOException | StoreException e) {
                return Optional.empty();
            }
        }
    }
}
