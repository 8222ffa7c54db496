package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.config.Settings;
import dev.eventpipe.generate.GeneratorSummary;
import dev.eventpipe.status.StatusReader;
import dev.eventpipe.status.StatusReport;
import dev.eventpipe.status.StatusText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe status}: what every stage holds, whether the counts reconcile, and whether the pipeline is healthy. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Queue depths, files in incoming/, archive/ and quarantine/, warehouse rows, the last job runs,",
                "the per-stage counts (received, rejected by reason, written, loaded, duplicates skipped) with",
                "whether they reconcile, and the share of rejected events in the last [status] window_minutes.",
                "Exit code 1 when a part cannot be read, the counts do not reconcile, or more than",
                "[status] max_rejected_share of recent events were rejected."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the status as JSON.")
    private boolean json;

    @Option(names = "--generated", paramLabel = "FILE", description = "A generator's --summary-json, to reconcile against what was sent.")
    private Path generated;

    @Override
    public Integer call() throws IOException {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE);
        GeneratorSummary gen = null;
        if (generated != null) {
            try {
                gen = GeneratorSummary.read(generated);
            } catch (IOException e) {
                throw CommandException.usage("--generated '" + generated + "' is not a generator summary: " + e.getMessage());
            }
        }
        StatusReader reader = new StatusReader(() -> Adapters.eventBus(settings, 1), settings.aws().sqsName(),
                settings.aws().sqsDeadLetterName(), Adapters.objectStore(settings, 4), () -> Adapters.warehouse(settings),
                settings.warehouse().type().name().toLowerCase(Locale.ROOT), settings.status(), Clock.systemUTC());
        StatusReport status = reader.read(gen);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            StatusText.print(out, status);
        }
        out.flush();
        return status.ok() ? EventPipe.EXIT_OK : EventPipe.EXIT_FAILURE;
    }
}
