package dev.eventpipe.cli;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.collect.Collector;
import dev.eventpipe.config.CollectorSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe collect}: the HTTP collector in the foreground. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Serve Segment's HTTP Tracking API (/v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias,",
                "/v1/batch, /v1/import and analytics.js's /v1/t, /v1/p, ...) on [collector] bind:port, onto the queue.",
                "A request is answered 200 once the queue took its events; invalid events go to the dead-letter queue",
                "(through the consumer) with their reason. GET /health and GET /metrics (Prometheus) on the same port.",
                "Ctrl-C or SIGTERM stops it gracefully: requests in progress get their answer first."})
final class CollectCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Listen on port N instead of [collector] port (0: any free port).")
    private Integer port;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop after D (30s, 5m, 1h); default: until Ctrl-C or SIGTERM.")
    private Duration duration;

    /**
     * The collector of {@code eventpipe run}: on [collector] port, or on a free port when that one is taken
     * (its URL says which), as the dashboard does.
     */
    static Collector startInRun(Settings settings, EventBus bus, EventCodec codec) throws java.io.IOException {
        CollectorSettings c = settings.collector();
        try {
            return Collector.start(c, c.port(), bus, codec, Clock.systemUTC());
        } catch (java.io.IOException e) {
            if (!dev.eventpipe.http.JettyServer.isAddressInUse(e)) {
                throw e;
            }
            Collector collector = Collector.start(c, 0, bus, codec, Clock.systemUTC());
            org.slf4j.LoggerFactory.getLogger(CollectCommand.class).warn(
                    "collect: port {} ([collector] port) is taken; serving on port {} instead", c.port(), collector.port());
            return collector;
        }
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = root.settings();
        CollectorSettings c = settings.collector();
        if (port != null && (port < 0 || port > 65535)) {
            throw CommandException.usage("--port must be from 0 to 65535");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw CommandException.usage("--duration must be more than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install();
        try (EventBus bus = Adapters.eventBus(settings, Collector.SENDERS + 1)) {
            // A missing queue is said now, not as a 503 to every client.
            bus.depth();
            Collector collector = Collector.start(c, port == null ? c.port() : port, bus,
                    new EventCodec(settings.events().maxEventBytes()), Clock.systemUTC());
            try {
                out.println("collect: listening at " + collector.url() + " (queue '" + settings.aws().sqsName() + "' at "
                        + settings.aws().endpoint() + ")" + (duration == null ? "; Ctrl-C stops it" : "; stopping after " + duration.toSeconds() + " s"));
                out.flush();
                stop.await(duration);
            } finally {
                collector.close();
            }
        }
        out.println("collect: stopped");
        out.flush();
        return EventPipe.EXIT_OK;
    }
}
