package dev.eventpipe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config} and {@code -v}, accepted before or after the command name
 * ({@code eventpipe -v generate} and {@code eventpipe generate -v}); both land on the root command.
 */
public final class GlobalOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private Path config = Path.of("settings.ini");
    private boolean configGiven;
    private boolean verbose;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./settings.ini; every key can also be set as EVENTPIPE_<SECTION>_<KEY>).")
    void setConfig(Path file) {
        if (file != null) {
            GlobalOptions root = root();
            root.config = file;
            root.configGiven = true;
        }
    }

    @Option(names = {"-v", "--verbose"}, description = "Debug logs.")
    void setVerbose(boolean on) {
        if (on) {
            root().verbose = true;
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.eventpipe").setLevel(Level.DEBUG);
        }
    }

    private GlobalOptions root() {
        return ((EventPipe) mixee.root().userObject()).globals();
    }

    Path config() {
        return config;
    }

    boolean configGiven() {
        return configGiven;
    }

    boolean verbose() {
        return verbose;
    }
}
