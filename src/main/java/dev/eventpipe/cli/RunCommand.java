package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.generate.GeneratorSummary;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
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
                "and nothing listens on its port yet), init, and the simulator at [events] events_per_sec.",
                "Ctrl-C or SIGTERM stops it gracefully."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

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

    @Override
    public Integer call() throws Exception {
        Settings settings = root.settings();
        AwsSettings aws = settings.aws();
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install();
        EmbeddedQueueServer server = null;
        try {
            if (aws.endpoint().kind() == AwsSettings.QueueKind.EMBEDDED) {
                if (EmbeddedQueueServer.isListening(aws.embeddedPort())) {
                    log.info("run: a queue server already listens on port {}: using it", aws.embeddedPort());
                } else {
                    server = EmbeddedQueueServer.start(aws.embeddedPort(), aws.embeddedDataDir(), aws.region());
                }
            }
            int threads = settings.generate().threads();
            try (EventBus bus = Adapters.eventBus(settings, threads)) {
                bus.ensureQueues().forEach(line -> log.info("init: {}", line));
                out.println("run: pipeline up (queue '" + aws.sqsName() + "' at " + aws.endpoint() + ")"
                        + (duration == null ? "; Ctrl-C stops it" : "; stopping after " + duration.toSeconds() + " s"));
                out.flush();
                GeneratorSummary generated = null;
                if (noGenerate) {
                    stop.await(duration);
                } else {
                    Generator generator = new Generator(bus, new EventCodec(settings.events().maxEventBytes()),
                            new GeneratorOptions(settings.events().eventsPerSec(), -1, duration, threads,
                                    settings.generate().pack(), FaultRates.NONE, settings.generate().devices(),
                                    settings.generate().funnelConversion(), settings.generate().androidShare(), 1L,
                                    new SecureRandom().nextLong(), settings.events().maxEventBytes()),
                            Clock.systemUTC());
                    stop.onStop(generator::stop);
                    generated = generator.run();
                }
                out.println("run: stopped" + (generated == null ? "" : "; " + GenerateCommand.line(generated)));
                out.flush();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return EventPipe.EXIT_OK;
    }
}
