package dev.eventpipe.cli;

import dev.eventpipe.warehouse.DuplicateIdsException;
import dev.eventpipe.warehouse.ForeignEventsTableException;
import dev.eventpipe.warehouse.MigrationOptions;
import dev.eventpipe.warehouse.MigrationResult;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.TableDifference;
import dev.eventpipe.warehouse.Warehouse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe migrate}: brings an existing warehouse to this eventpipe's schema. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Bring the warehouse to this eventpipe's schema in one transaction, keeping every row.",
                "An older eventpipe schema is migrated (version 1 to 2: context_traits_language becomes",
                "context_traits_taxfix_language; context_device_token, queued_at and consumed_at are added).",
                "An events table eventpipe did not create (the original prototype's) is adopted: missing columns",
                "added (its rows get loaded_at = now and source_file = '" + Schema.ADOPTED_SOURCE + "'), narrow",
                "columns widened, user_id converted to text, NOT NULL dropped where eventpipe has none, the primary",
                "key on id added. Ids held by more than one row stop it with their count and a sample (exit 1)",
                "unless --move-duplicates. Running it again changes nothing."})
final class MigrateCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--move-duplicates",
            description = "Keep the first-received row of each repeated id and move the others to " + Schema.ADOPTED_DUPLICATES + ".")
    private boolean moveDuplicates;

    @Option(names = "--dry-run", description = "Print what would change and its SQL statements; change nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try (Warehouse warehouse = Adapters.warehouse(root.settings())) {
            out.println("migrate: " + warehouse.describe());
            MigrationResult result = warehouse.migrate(new MigrationOptions(moveDuplicates, dryRun));
            for (TableDifference d : result.differences()) {
                out.println("migrate:   " + d.line());
            }
            if (dryRun) {
                out.println("migrate: the statements, in one transaction:");
                result.statements().forEach(s -> out.println(s + ";"));
            }
            out.printf("migrate: %s (%.1f s)%n", result.line(), (System.nanoTime() - start) / 1e9);
            out.flush();
            return EventPipe.EXIT_OK;
        } catch (DuplicateIdsException e) {
            out.flush();
            err.println("migrate: " + e.getMessage());
            err.println("migrate: 'eventpipe migrate --move-duplicates' keeps the first-received row of each and moves the others to "
                    + Schema.ADOPTED_DUPLICATES);
            err.flush();
            return EventPipe.EXIT_FAILURE;
        } catch (ForeignEventsTableException e) {
            out.flush();
            err.println("migrate: " + e.getMessage());
            e.differences().forEach(d -> err.println("migrate:   " + d.line()));
            err.flush();
            return EventPipe.EXIT_FAILURE;
        }
    }
}
