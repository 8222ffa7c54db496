package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench compact} and {@code bench scale} at their --quick sizes: each runs to the end and
 * prints its figures. Only that they work; what the figures say is for a quiet machine at full size.
 */
class BenchLakeIT {

    @Test
    void benchCompactQuickPrintsCompactionAgainstTheRawCopyAndTheSizeRatio() {
        CliRun r = CliRun.run(Map.of(), "--config", CliRun.emptySettings(), "bench", "compact", "--quick");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("20,000 rows in 20 files", "compact (rows/s)", "compact / raw", "Parquet / NDJSON.gz size");
    }

    @Test
    void benchScaleQuickPrintsTheLoadPassWithBothLedgersAndTheReport() {
        CliRun r = CliRun.run(Map.of(), "--config", CliRun.emptySettings(), "bench", "scale", "--quick");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("load pass, 1,000 files already in the ledger (s)", "load pass, 100,000 files already in the ledger (s)",
                "load pass, large ledger / small ledger", "report over 1,000,000 rows, median of the next runs (s)");
    }
}
