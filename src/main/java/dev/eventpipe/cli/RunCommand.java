package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.collect.Collector;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.ConsumerSettings;
import dev.eventpipe.config.ScheduleSettings;
import dev.eventpipe.report.ReportSummary;
import dev.eventpipe.report.Reporter;
import dev.eventpipe.schedule.ScheduledJob;
import dev.eventpipe.schedule.Scheduler;
import dev.eventpipe.serve.InteractiveDashboard;
import dev.eventpipe.warehouse.LoadSummary;
import dev.eventpipe.warehouse.Warehouse;
import java.util.List;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.generate.GeneratorSummary;
import dev.eventpipe.ingest.Consumer;
import dev.eventpipe.ingest.ConsumerOptions;
import dev.eventpipe.ingest.ConsumerSummary;
import dev.eventpipe.store.ObjectStore;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe run}: the whole pipeline in one process, on the embedded default or anywhere else. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the pipeline in one process: the embedded queue server (when [aws] endpoint = embedded",
                "and nothing listens on its port yet), init, the simulator at [events] events_per_sec, the consumer,",
                "the [schedule] jobs (load, report), the dashboard (as 'eventpipe serve') on [report] bind:port and the",
                "collector (Segment's Tracking API) on [collector] bind:port.",
                "Ctrl-C or SIGTERM stops it gracefully: the simulator stops, the consumer writes and deletes what it",
                "holds, a final load and report run. At the end of --duration the consumer first drains the queue",
                "(30 s at most)."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop after D (30s, 5m, 1h); default: until Ctrl-C or SIGTERM.")
    private Duration duration;

    @Option(names = "--no-generate", description = "Do not simulate events (consume what others send).")
    private boolean noGenerate;

    @Option(names = "--faults", paramLabel = "SPEC", converter = GenerateCommand.FaultsConverter.class,
            description = "Have the simulator inject faults, as 'generate --faults'.")
    private FaultRates faults = FaultRates.NONE;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the simulator's summary as JSON to FILE (as 'generate --summary-json').")
    private java.nio.file.Path summaryJson;

    @Override
    public Integer call() throws Exception {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE, Settings.PathKey.REPORT);
        AwsSettings aws = settings.aws();
        ConsumerSettings c = settings.consumer();
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw CommandException.usage("--duration must be more than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install();
        EmbeddedQueueServer server = null;
        InteractiveDashboard dashboard = null;
        Collector collector = null;
        try {
            if (aws.endpoint().kind() == AwsSettings.QueueKind.EMBEDDED) {
                if (EmbeddedQueueServer.isListening(aws.embeddedPort())) {
                    log.info("run: a queue server already listens on port {}: using it", aws.embeddedPort());
                } else {
                    settings.requireUsable(Settings.PathKey.QUEUE_DATA);
                    server = EmbeddedQueueServer.start(aws.embeddedPort(), aws.embeddedDataDir(), aws.region());
                }
            }
            int threads = settings.generate().threads();
            EventCodec codec = new EventCodec(settings.events().maxEventBytes());
            ObjectStore store = Adapters.objectStore(settings, c.pollers());
            // The consumer calls from a poller and a deleter per poller (consume sizes its pool the same way).
            try (EventBus bus = Adapters.eventBus(settings, threads + 2 * c.pollers() + Collector.SENDERS);
                 Warehouse warehouse = Adapters.warehouse(settings)) {
                bus.ensureQueues().forEach(line -> log.info("init: {}", line));
                log.info("init: {}", store.ensureReady());
                warehouse.ensureSchema().forEach(line -> log.info("init: {}", line));
                // A first report at once, so the dashboard shows something before the first scheduled run.
                ReportCommand.run(settings, warehouse, store, Clock.systemUTC());
                // Loads follow the files as they land ([schedule] load = continuous), or run on their cron schedule.
                boolean continuous = settings.schedule().continuousLoad();
                // Every pass of the run adds up here, so its summary line says what the whole run loaded.
                AtomicReference<LoadSummary> loads = new AtomicReference<>(LoadSummary.empty());
                List<ScheduledJob> jobs = new java.util.ArrayList<>();
                if (!continuous) {
                    jobs.add(new ScheduledJob("load", ScheduleSettings.parse(settings.schedule().load()), () -> {
                        LoadSummary pass = LoadCommand.pass(warehouse, store, settings.warehouse().batchFiles());
                        loads.accumulateAndGet(pass, LoadSummary::plus);
                        return pass.line();
                    }));
                }
                jobs.add(new ScheduledJob("report", ScheduleSettings.parse(settings.schedule().report()),
                        () -> new Reporter(warehouse, store, settings.report(), settings.events().reportEvents(),
                                Clock.systemUTC()).run().line(), continuous ? null : "load"));
                jobs.add(new ScheduledJob("compact", ScheduleSettings.parse(settings.schedule().compact()),
                        () -> CompactCommand.job(store, settings.schedule().compactGrace())));
                Scheduler scheduler = Scheduler.start(jobs, warehouse, EventPipe.machineZone());
                StopSignal followerStop = StopSignal.manual();
                Thread follower = new Thread(() -> loads.accumulateAndGet(LoadCommand.follow(warehouse, store, settings, followerStop),
                        LoadSummary::plus), "run-loader");
                if (continuous) {
                    follower.setDaemon(true);
                    follower.start();
                }
                dashboard = ServeCommand.start(settings, settings.report().port(), store, true, Clock.systemUTC());
                collector = CollectCommand.startInRun(settings, bus, codec);
                Consumer consumer = new Consumer(bus, store, codec, ConsumerOptions.from(settings, c.pollers(),
                        Duration.ofSeconds(aws.sqsPollingTimeout()), false, null, Duration.ofSeconds(30)), Clock.systemUTC());
                AtomicReference<ConsumerSummary> consumed = new AtomicReference<>();
                Thread consumerThread = new Thread(() -> {
                    try {
                        consumed.set(consumer.run());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "run-consumer");
                consumerThread.start();
                stop.onStop(consumer::stop);
                out.println("run: pipeline up (queue '" + aws.sqsName() + "' at " + aws.endpoint() + ", files in "
                        + store.location() + ", warehouse " + warehouse.describe() + ")");
                out.println("run: collector (Segment's Tracking API) at " + collector.url());
                out.println("run: dashboard at " + dashboard.url()
                        + (duration == null ? "; Ctrl-C stops it" : "; stopping after " + duration.toSeconds() + " s"));
                out.flush();

                GeneratorSummary generated = null;
                if (noGenerate) {
                    stop.await(duration);
                } else {
                    Generator generator = new Generator(bus, codec,
                            new GeneratorOptions(settings.events().eventsPerSec(), -1, duration, threads,
                                    settings.generate().pack(), faults, settings.generate().devices(),
                                    settings.generate().funnelConversion(), settings.generate().androidShare(), 1L,
                                    new SecureRandom().nextLong(), settings.events().maxEventBytes()),
                            Clock.systemUTC());
                    stop.onStop(generator::stop);
                    generated = generator.run();
                }
                // Its last requests answered and their events queued, before the consumer drains the queue.
                collector.close();
                if (!stop.stopped()) {
                    log.info("run: {} s passed: draining the queue, then stopping", duration == null ? 0 : duration.toSeconds());
                    consumer.drainThenStop(DRAIN);
                }
                consumerThread.join();
                followerStop.trigger();
                follower.join(Duration.ofMinutes(5).toMillis());
                scheduler.close();
                // Everything consumed is now in files: load it and chart it before leaving.
                LoadSummary loaded = loads.accumulateAndGet(LoadCommand.recorded(warehouse, store, settings.warehouse().batchFiles(),
                        false), LoadSummary::plus);
                ReportSummary reported = ReportCommand.run(settings, warehouse, store, Clock.systemUTC());
                if (generated != null) {
                    out.println(GenerateCommand.line(generated));
                }
                if (consumed.get() != null) {
                    out.println(ConsumeCommand.line(consumed.get()));
                }
                out.println("load: " + loaded.line());
                out.println("report: " + reported.line());
                if (generated != null && summaryJson != null) {
                    GenerateCommand.writeJson(summaryJson, generated);
                }
                out.println("run: stopped");
                out.flush();
                if (consumer.failure().isPresent()) {
                    throw CommandException.failure(EventPipe.describe(consumer.failure().get()));
                }
            }
        } finally {
            if (collector != null) {
                collector.close();
            }
            if (dashboard != null) {
                dashboard.close();
            }
            if (server != null) {
                server.close();
            }
        }
        return EventPipe.EXIT_OK;
    }
}
