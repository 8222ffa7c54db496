package dev.eventpipe.cli;

import dev.eventpipe.config.Settings;
import dev.eventpipe.config.SettingsException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code eventpipe} command: parses the command line, runs one subcommand, exits with its code. */
@Command(name = "eventpipe",
        mixinStandardHelpOptions = true,
        versionProvider = EventPipe.Version.class,
        description = "Event-analytics pipeline: a queue, a distributed file store, a warehouse, charts.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad settings."},
        subcommands = {
                InitCommand.class,
                MigrateCommand.class,
                RunCommand.class,
                QueueServerCommand.class,
                GenerateCommand.class,
                ConsumeCommand.class,
                LoadCommand.class,
                CompactCommand.class,
                CrontabCommand.class,
                StatusCommand.class,
                DlqCommand.class,
                CollectCommand.class,
                ReportCommand.class,
                ServeCommand.class,
                BenchCommand.class,
                HelpCommand.class})
public final class EventPipe implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(EventPipe.class);

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;
    private Settings settings;

    public EventPipe(Map<String, String> env) {
        this.env = env;
    }

    /** The machine's own time zone, kept before the JVM is switched to UTC: cron times are read in it. */
    private static java.time.ZoneId machineZone = java.time.ZoneId.systemDefault();

    public static void main(String[] args) {
        machineZone = java.time.ZoneId.systemDefault();
        // Event times are UTC end to end; JDBC converts TIMESTAMP through the default zone.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        System.exit(run(System.getenv(), args));
    }

    /** Runs one command line with {@code env} as the environment; returns the exit code. */
    public static int run(Map<String, String> env, String... args) {
        try {
            return commandLine(env).execute(args);
        } catch (NoClassDefFoundError e) {
            // The slim jars (eventpipe-consumer.jar) leave out the warehouse, charts and embedded queue.
            System.err.println("eventpipe: this command needs a library this jar does not hold (" + e.getMessage()
                    + "): run it with the all-in-one eventpipe.jar (bin/eventpipe); eventpipe-consumer.jar holds consume,"
                    + " generate and dlq");
            return EXIT_FAILURE;
        }
    }

    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new EventPipe(env));
        // The descriptions are written as lines of up to ~110 characters; at picocli's 80 each broke in two.
        cl.setUsageHelpWidth(112);
        cl.setExecutionExceptionHandler(EventPipe::handleFailure);
        cl.setParameterExceptionHandler(EventPipe::handleBadUsage);
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    static java.time.ZoneId machineZone() {
        return machineZone;
    }

    GlobalOptions globals() {
        return globals;
    }

    Map<String, String> env() {
        return env;
    }

    /** The settings, loaded once; unknown keys are logged as warnings. */
    Settings settings() {
        if (settings == null) {
            settings = Settings.load(globals.config(), globals.configGiven(), env);
            if (!java.nio.file.Files.exists(settings.file())) {
                log.warn("No settings file at '{}': using the defaults", settings.file());
            }
            settings.warnings().forEach(log::warn);
            log.debug("Effective settings: {}", settings.effective());
        }
        return settings;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String where = cl.getCommandSpec().qualifiedName();
        if (e instanceof SettingsException) {
            err.println(where + ": bad settings: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        if (e instanceof CommandException c) {
            err.println(where + ": " + c.getMessage());
            err.flush();
            return c.exitCode();
        }
        log.debug("Failure", e);
        err.println(where + ": " + describe(e) + (log.isDebugEnabled() ? "" : " (run with -v for details)"));
        err.flush();
        return EXIT_FAILURE;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static int handleBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EventPipe.class.getPackage().getImplementationVersion();
            return new String[] {"eventpipe " + (v == null ? "(development build)" : v)
                    + " on Java " + System.getProperty("java.version")};
        }
    }
}
