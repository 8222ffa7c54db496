package dev.eventpipe.cli;

import dev.eventpipe.config.Settings;
import dev.eventpipe.serve.ApiLimits;
import dev.eventpipe.serve.DashboardSources;
import dev.eventpipe.serve.DeadLetterStatus;
import dev.eventpipe.serve.InteractiveDashboard;
import dev.eventpipe.serve.LoadSchedule;
import dev.eventpipe.serve.PageConfig;
import dev.eventpipe.store.ObjectStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.security.crypto.bcrypt.BCrypt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe serve}: the interactive dashboard and its JSON API against any warehouse. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the interactive dashboard and its JSON API (/api/...) against the [warehouse] (DuckDB,",
                "PostgreSQL or Redshift), reading only, on [report] bind:[report] port (127.0.0.1:8080 by default).",
                "A bind address other than loopback needs [report] users (basic auth; passwords as bcrypt hashes):",
                "without them nothing starts. The static report of 'eventpipe report' is served under /report/.",
                "Ctrl-C or SIGTERM stops it."})
final class ServeCommand implements Callable<Integer> {

    /** How often an open page asks whether a load brought new rows. */
    static final Duration REFRESH = Duration.ofSeconds(10);
    static final int HASH_COST = 12;

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: [report] port).")
    private Integer port;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop after D (30s, 5m, 1h); default: until Ctrl-C or SIGTERM.")
    private Duration duration;

    @Option(names = "--hash-password", description = {"Read a password (twice from the terminal, or one line from standard",
            "input) and print its bcrypt hash for [report] users, then exit."})
    private boolean hashPassword;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (hashPassword) {
            out.println(BCrypt.hashpw(readPassword(), BCrypt.gensalt(HASH_COST)));
            out.flush();
            return EventPipe.EXIT_OK;
        }
        Settings settings = root.settings();
        int p = port != null ? port : settings.report().port();
        if (p < 1 || p > 65535) {
            throw CommandException.usage("--port must be from 1 to 65535, got " + p);
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw CommandException.usage("--duration must be more than 0");
        }
        StopSignal stop = StopSignal.install();
        ObjectStore store = Adapters.objectStore(settings, 2);
        InteractiveDashboard dashboard;
        try {
            dashboard = start(settings, p, store, false, Clock.systemUTC());
        } catch (java.io.IOException e) {
            throw CommandException.failure("cannot listen on " + settings.report().bind() + ":" + p + " ([report] bind and port): "
                    + EventPipe.describe(e));
        }
        try (dashboard) {
            out.println("serve: dashboard at " + dashboard.url() + " reading " + Adapters.readOnly(settings, false).description()
                    + (settings.report().loopbackOnly() ? "" : " (basic auth: " + settings.report().users().size() + " users)")
                    + (duration == null ? "; Ctrl-C stops it" : "; stopping after " + duration.toSeconds() + " s"));
            out.flush();
            stop.await(duration);
        }
        out.println("serve: stopped");
        out.flush();
        return EventPipe.EXIT_OK;
    }

    /**
     * Starts the dashboard of {@code settings} on {@code port}.
     *
     * @param inRun whether the pipeline's loader runs in this process ({@code run}): then DuckDB is read
     *              through the loader's own configuration, and a taken port falls back to a free one
     */
    static InteractiveDashboard start(Settings settings, int port, ObjectStore store, boolean inRun, Clock clock)
            throws java.io.IOException {
        Adapters.ReadOnlySource source = Adapters.readOnly(settings, inRun);
        String dlq = settings.aws().sqsDeadLetterName();
        DeadLetterStatus deadLetters = new DeadLetterStatus(store, () -> Adapters.eventBus(settings, 1), dlq, clock);
        DashboardSources sources = new DashboardSources(source.dialect(), source.connections(), deadLetters,
                new LoadSchedule(settings.schedule().load(), EventPipe.machineZone()));
        PageConfig page = new PageConfig(settings.events().reportEvents(), settings.report().days(), REFRESH, true,
                settings.warehouse().type().name().toLowerCase(Locale.ROOT));
        return InteractiveDashboard.start(settings.report(), port, sources, page, ApiLimits.DEFAULT, clock,
                settings.report().out(), inRun);
    }

    private String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw CommandException.usage("the two passwords differ");
            }
            return check(new String(first));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return check(line == null ? "" : line);
    }

    private static String check(String password) {
        if (password.length() < 8) {
            throw CommandException.usage("a password needs 8 characters or more");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            // bcrypt reads 72 bytes; a longer password would match anything sharing its first 72.
            throw CommandException.usage("a password may have 72 bytes at most (bcrypt ignores the rest)");
        }
        return password;
    }
}
