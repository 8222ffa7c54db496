package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchDashboardCommandTest {

    @Test
    void percentilesAreNearestRankOverTheCallsAsMeasured() {
        double[] ms = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200};
        assertThat(BenchDashboardCommand.percentile(ms, 95)).isEqualTo(190);
        assertThat(BenchDashboardCommand.percentile(ms, 50)).isEqualTo(100);
        assertThat(BenchDashboardCommand.percentile(new double[] {7}, 95)).isEqualTo(7);
        assertThat(ms[0]).as("the calls are left in their order").isEqualTo(50);
    }

    @Test
    void aWarehouseTooSmallOrARangeShorterThanThePageIsRefusedBeforeBuildingAnything() {
        CliRun r = CliRun.run(Map.of(), "--config", CliRun.emptySettings(), "bench", "dashboard", "--rows", "1000000,10");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--rows must each be 1000 or more");
        assertThat(r.out()).doesNotContain("bench dashboard:");
        CliRun days = CliRun.run(Map.of(), "--config", CliRun.emptySettings(), "bench", "dashboard", "--days", "7");
        assertThat(days.exitCode()).isEqualTo(2);
        assertThat(days.err()).contains("--days from 14 to 366");
        CliRun devices = CliRun.run(Map.of(), "--config", CliRun.emptySettings(), "bench", "dashboard", "--rows-per-device", "0");
        assertThat(devices.exitCode()).isEqualTo(2);
        assertThat(devices.err()).contains("--rows-per-device 1 or more");
        assertThat(devices.out()).doesNotContain("bench dashboard:");
    }
}
