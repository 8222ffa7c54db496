package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.StoreContents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAreNamedByChartAndUtcTime() {
        Instant at = Instant.parse("2026-11-24T05:06:07Z");

        assertThat(ReportFiles.timestamped("freshness", at, "png")).isEqualTo("freshness-20261124-050607.png");
        assertThat(ReportFiles.latest("freshness", "svg")).isEqualTo("freshness-latest.svg");
    }

    @Test
    void aFileGoesToTheFolderAndTheStoreAndReplacesTheOldOneLeavingNoTempFile() throws IOException {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        ReportFiles files = new ReportFiles(dir.resolve("out/nested"), store);

        files.write("a-latest.png", bytes("one"));
        files.write("a-latest.png", bytes("two"));

        assertThat(names(dir.resolve("out/nested"))).containsExactly("a-latest.png");
        assertThat(dir.resolve("out/nested/a-latest.png")).hasContent("two");
        assertThat(LocalObjectStore.readAll(store, DfsLayout.REPORTS + "a-latest.png")).isEqualTo(bytes("two"));
    }

    @Test
    void pruningKeepsTheNewest24TimestampedFilesPerFormatOfThatChartOnly() throws IOException {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        ReportFiles files = new ReportFiles(dir.resolve("out"), store);
        Instant start = Instant.parse("2026-11-24T00:00:00Z");
        for (int i = 0; i < 30; i++) {
            Instant at = start.plusSeconds(3600L * i);
            files.write(ReportFiles.timestamped("daily-a", at, "png"), bytes("p" + i));
            files.write(ReportFiles.timestamped("daily-a", at, "svg"), bytes("s" + i));
            // A chart whose name starts like the other's must not lose files to its pruning.
            files.write(ReportFiles.timestamped("daily-a-2", at, "png"), bytes("q" + i));
        }
        files.write(ReportFiles.latest("daily-a", "png"), bytes("latest"));

        int deleted = files.prune("daily-a");

        assertThat(deleted).isEqualTo(2 * 6 * 2);
        List<String> left = names(dir.resolve("out"));
        assertThat(left.stream().filter(n -> n.matches("daily-a-\\d{8}-\\d{6}\\.png"))).hasSize(24)
                .doesNotContain("daily-a-20261124-050000.png").contains("daily-a-20261124-060000.png", "daily-a-20261125-050000.png");
        assertThat(left.stream().filter(n -> n.matches("daily-a-\\d{8}-\\d{6}\\.svg"))).hasSize(24);
        assertThat(left.stream().filter(n -> n.startsWith("daily-a-2-"))).hasSize(30);
        assertThat(left).contains("daily-a-latest.png");
        assertThat(StoreContents.keys(store, DfsLayout.REPORTS))
                .containsExactlyElementsOf(left.stream().map(n -> DfsLayout.REPORTS + n).toList());
    }
}
