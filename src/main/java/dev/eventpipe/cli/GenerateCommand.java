package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.BodyFormat;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.generate.GeneratorSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code eventpipe generate}: the simulator. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Simulate app events and send them to the queue.",
                "Without --count or --duration it runs until Ctrl-C or SIGTERM."})
final class GenerateCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", description = "Events per second; 0 = as fast as possible (default: [events] events_per_sec).")
    private Long rate;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
    private Long count;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop after D (30s, 5m, 1h).")
    private Duration duration;

    @Option(names = "--threads", paramLabel = "N", description = "Sending threads (default: [generate] threads).")
    private Integer threads;

    @Option(names = "--pack", paramLabel = "N", description = "Events per message, gzip+base64 NDJSON when above 1 (default: [generate] pack).")
    private Integer pack;

    @Option(names = "--faults", paramLabel = "SPEC", converter = FaultsConverter.class,
            description = "Inject faults, e.g. duplicate=0.01,malformed=0.001,late=0.02,oversize=0.0005.")
    private FaultRates faults = FaultRates.NONE;

    @Option(names = "--format", paramLabel = "F", converter = FormatConverter.class,
            description = {"Body format: prototype (default: exactly the original prototype's events and timestamp forms)",
                    "or eventpipe (every field, ISO-8601 times, extra fields such as screen_name)."})
    private BodyFormat format = BodyFormat.PROTOTYPE;

    @Option(names = "--devices", paramLabel = "N", description = "Device population (default: [generate] devices).")
    private Integer devices;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for event ids and choices, to repeat a run exactly (ids then repeat too).")
    private Long seed;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path summaryJson;

    static final class FaultsConverter implements ITypeConverter<FaultRates> {
        @Override
        public FaultRates convert(String value) {
            try {
                return FaultRates.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements ITypeConverter<BodyFormat> {
        @Override
        public BodyFormat convert(String value) {
            try {
                return BodyFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = root.settings();
        long r = rate != null ? rate : settings.events().eventsPerSec();
        int t = threads != null ? threads : settings.generate().threads();
        int p = pack != null ? pack : settings.generate().pack();
        int d = devices != null ? devices : settings.generate().devices();
        if (r < 0) {
            throw CommandException.usage("--rate must be 0 or more, got " + r);
        }
        if (count != null && count < 0) {
            throw CommandException.usage("--count must be 0 or more, got " + count);
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw CommandException.usage("--duration must be more than 0");
        }
        if (t < 1 || t > 256) {
            throw CommandException.usage("--threads must be from 1 to 256, got " + t);
        }
        if (p < 1 || p > 1000) {
            throw CommandException.usage("--pack must be from 1 to 1000, got " + p);
        }
        if (d < 1) {
            throw CommandException.usage("--devices must be 1 or more, got " + d);
        }
        GeneratorOptions options = new GeneratorOptions(r, count == null ? -1 : count, duration, t, p, faults, d,
                settings.generate().funnelConversion(), settings.generate().androidShare(), 1L,
                seed != null ? seed : new SecureRandom().nextLong(), settings.events().maxEventBytes(), format);
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install();
        GeneratorSummary summary;
        try (EventBus bus = Adapters.eventBus(settings, t)) {
            Generator generator = new Generator(bus, new EventCodec(settings.events().maxEventBytes()), options, Clock.systemUTC());
            stop.onStop(generator::stop);
            log.info("generate: {} events/s{}{} in the {} format with {} threads{}{} to queue '{}'",
                    r == 0 ? "as many" : Long.toString(r),
                    count == null ? "" : ", " + count + " events", duration == null ? "" : ", for " + duration.toSeconds() + " s",
                    format.label(), t, p > 1 ? ", " + p + " events per message" : "", faults.any() ? ", faults " + faults : "",
                    settings.aws().sqsName());
            if (!options.bounded()) {
                log.info("generate: no --count or --duration given: sending until Ctrl-C or SIGTERM");
            }
            try (Progress progress = Progress.start("generate", count == null ? 0 : count, "events", generator::sentSoFar)) {
                summary = generator.run();
                progress.finish(summary.sent());
            }
        }
        out.println(line(summary));
        out.flush();
        if (summaryJson != null) {
            writeJson(summaryJson, summary);
        }
        return summary.sent() == 0 && summary.failed() > 0 ? EventPipe.EXIT_FAILURE : EventPipe.EXIT_OK;
    }

    static void writeJson(Path file, GeneratorSummary summary) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
    }

    static String line(GeneratorSummary s) {
        String faults = s.faults().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String malformed = s.faults().getOrDefault("malformed", 0L) == 0 ? "" : " (" + s.malformedByReason().entrySet()
                .stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).count() + " reasons)";
        return String.format("generate: %d events sent in %d messages, %d failed, %.1f s, %.0f events/s; faults: %s%s",
                s.sent(), s.messages(), s.failed(), s.seconds(), s.eventsPerSec(), faults, malformed);
    }
}
