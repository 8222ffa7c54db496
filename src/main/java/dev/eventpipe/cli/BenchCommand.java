package dev.eventpipe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe bench ...}: benchmarks that print figures next to the raw limit of the same server. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks. Each prints eventpipe's throughput next to the raw limit of the same server,",
                "measured in the same run on this machine."},
        subcommands = {BenchGenerateCommand.class, BenchConsumeCommand.class, BenchLoadCommand.class, BenchFreshnessCommand.class,
                BenchLambdaCommand.class, BenchCollectCommand.class, BenchDashboardCommand.class, BenchCompactCommand.class,
                BenchScaleCommand.class, BenchAllCommand.class})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EventPipe.EXIT_USAGE;
    }
}
