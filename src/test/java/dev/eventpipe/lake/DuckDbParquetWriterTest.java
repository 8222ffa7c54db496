package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuckDbParquetWriterTest {

    private static final long GIB = 1L << 30;

    @Test
    void theSortMayUseAQuarterOfTheMachinesMemory() {
        assertThat(DuckDbParquetWriter.memoryLimit(24 * GIB)).isEqualTo(6 * GIB);
    }

    @Test
    void aSmallMachineStillGivesTheSortOneGigabyte() {
        assertThat(DuckDbParquetWriter.memoryLimit(2 * GIB)).isEqualTo(GIB);
    }
}
