package dev.eventpipe.cli;

import dev.eventpipe.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe crontab}: the [schedule] section as crontab lines for system cron. */
@Command(name = "crontab", mixinStandardHelpOptions = true,
        description = {"Print crontab lines that run the [schedule] jobs with the one-shot commands (absolute paths,",
                "this settings file, output appended to a log file). Install them with:",
                "  eventpipe crontab | crontab -      (this replaces the user's crontab: merge by hand if you have one)"})
final class CrontabCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Where the jobs append their output (default: logs/ beside the settings file).")
    private Path logDir;

    @Override
    public Integer call() {
        Settings settings = root.settings();
        Path config = settings.file();
        Path logs = (logDir != null ? logDir : config.getParent().resolve("logs")).toAbsolutePath().normalize();
        String launcher = launcher();
        PrintWriter out = spec.commandLine().getOut();
        out.println("# eventpipe jobs for " + config + " (from its [schedule] section).");
        out.println("# Cron reads these times in the machine's time zone (" + EventPipe.machineZone().getId()
                + "), as 'eventpipe run' does.");
        out.println("# The consumer is a service, not a cron job: run 'eventpipe consume' under systemd or similar.");
        out.println("SHELL=/bin/sh");
        if (settings.schedule().continuousLoad()) {
            // [schedule] load = continuous: a loader that follows the files, started once at boot (a service
            // manager does this better: run 'eventpipe load --follow' under systemd or similar).
            out.println("# [schedule] load = continuous: the loader follows the files as they land, started at boot.");
            line(out, "@reboot", launcher, config, logs, "load --follow");
        } else {
            line(out, settings.schedule().load(), launcher, config, logs, "load");
        }
        line(out, settings.schedule().report(), launcher, config, logs, "report");
        line(out, settings.schedule().compact(), launcher, config, logs, "compact");
        out.flush();
        return EventPipe.EXIT_OK;
    }

    private static void line(PrintWriter out, String cron, String launcher, Path config, Path logs, String job) {
        out.println(cron + " mkdir -p " + quote(logs.toString()) + " && cd " + quote(config.getParent().toString()) + " && "
                + launcher + " --config " + quote(config.toString()) + " " + job + " >> "
                + quote(logs.resolve("eventpipe-" + job.split(" ")[0] + ".log").toString()) + " 2>&1");
    }

    /** The launcher that started us, or java -jar on this jar. */
    private static String launcher() {
        String home = System.getProperty("eventpipe.home");
        if (home != null && !home.isBlank()) {
            return quote(Path.of(home, "bin", "eventpipe").toAbsolutePath().toString());
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath().toString();
        return quote(javaBin) + " -jar " + quote(jar);
    }

    /** Single-quotes a word for sh. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
