package dev.eventpipe.cli;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.config.Settings;
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
                "the file store's folder or bucket, and the warehouse tables.",
                "Running it again changes nothing; a changed setting is applied."})
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
            for (String line : warehouse.ensureSchema()) {
                out.println("init: " + line);
            }
        }
        out.printf("init: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        return EventPipe.EXIT_OK;
    }
}
