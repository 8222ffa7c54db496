package dev.eventpipe.cli;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.warehouse.ForeignEventsTableException;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe init}: creates what the pipeline needs; running it again changes nothing. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create the queue and its dead-letter queue (redrive after [aws] sqs_max_receive_count receives),",
                "the file store's folder or bucket, and the warehouse tables (or migrates an older eventpipe schema).",
                "Running it again changes nothing; a changed setting is applied. A warehouse holding an events table",
                "eventpipe did not create (the original prototype's) is left alone: init names each difference and",
                "exits 1; 'eventpipe migrate' adopts it."})
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (EventBus bus = Adapters.eventBus(settings, 1)) {
            for (String line : bus.ensureQueues()) {
                out.println("init: " + line);
            }
        }
        out.println("init: " + Adapters.objectStore(settings, 1).ensureReady());
        try (Warehouse warehouse = Adapters.warehouse(settings)) {
            try {
                for (String line : warehouse.ensureSchema()) {
                    out.println("init: " + line);
                }
            } catch (ForeignEventsTableException e) {
                out.flush();
                foreignTable(warehouse.describe(), e);
                return EventPipe.EXIT_FAILURE;
            }
        }
        out.printf("init: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        return EventPipe.EXIT_OK;
    }

    /** Says what differs, and that nothing was created: a script must not go on as if it had been. */
    private void foreignTable(String warehouse, ForeignEventsTableException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("init: " + warehouse + " already holds an events table that eventpipe did not create (no row in "
                + Schema.VERSION_TABLE + "); it differs from eventpipe's in " + e.differences().size() + " ways:");
        e.differences().forEach(d -> err.println("init:   " + d.line()));
        if (e.duplicates().any()) {
            err.println("init:   " + e.duplicates().line() + " (migrate refuses them unless --move-duplicates)");
        }
        err.println("init: nothing was changed; run 'eventpipe migrate' to bring it to eventpipe's schema in one transaction,"
                + " keeping every row ('eventpipe migrate --dry-run' prints the statements first)");
        err.flush();
    }
}
