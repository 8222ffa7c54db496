package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe queue-server}: ElasticMQ in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "queue-server", mixinStandardHelpOptions = true,
        description = {"Run the embedded SQS-compatible server (ElasticMQ) in the foreground on 127.0.0.1.",
                "Messages survive its restart in [aws] embedded_data_dir unless [aws] embedded_persist = false."})
final class QueueServerCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: [aws] embedded_port).")
    private Integer port;

    @Option(names = "--in-memory", description = "Keep messages in memory only, whatever [aws] embedded_persist says.")
    private boolean inMemory;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = root.settings();
        if (!inMemory) {
            settings.requireUsable(Settings.PathKey.QUEUE_DATA);
        }
        int p = port != null ? port : settings.aws().embeddedPort();
        if (p < 1 || p > 65535) {
            throw CommandException.usage("--port must be from 1 to 65535, got " + p);
        }
        StopSignal stop = StopSignal.install();
        PrintWriter out = spec.commandLine().getOut();
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(p, inMemory ? null : settings.aws().embeddedDataDir(),
                settings.aws().region())) {
            out.println("queue-server: listening on " + server.endpoint() + " (messages "
                    + (inMemory || settings.aws().embeddedDataDir() == null ? "in memory" : "kept in " + settings.aws().embeddedDataDir())
                    + "); Ctrl-C stops it");
            out.flush();
            stop.await(null);
        }
        out.println("queue-server: stopped");
        out.flush();
        return EventPipe.EXIT_OK;
    }
}
