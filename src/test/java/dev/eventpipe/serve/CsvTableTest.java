package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    @Test
    void namesAreQuotedAsCsvQuotesThemAndAFormulaIsDefused() {
        Answers.Names names = new Answers.Names("event", "2026-11-11", "2026-11-24", null, List.of(
                new Answers.NameCount("app_open", 3), new Answers.NameCount("it's \"quoted\", really", 2),
                new Answers.NameCount("=HYPERLINK(\"http://x\")", 1), new Answers.NameCount("-1+1", 1)), false);
        String csv = new String(CsvTable.bytes(names), StandardCharsets.UTF_8);
        assertThat(csv.lines()).containsExactly(
                "event,count",
                "app_open,3",
                "\"it's \"\"quoted\"\", really\",2",
                "\"'=HYPERLINK(\"\"http://x\"\")\",1",
                "\"'-1+1\",1");
    }

    @Test
    void countsAreOneRowPerBucketEventAndPlatform() {
        Answers.Counts counts = new Answers.Counts("2026-11-23", "2026-11-24", "day", null, List.of("2026-11-23", "2026-11-24"),
                List.of(new Answers.Series("a", "ios", List.of(1L, 2L)), new Answers.Series("a", "android", List.of(0L, 5L))));
        assertThat(new String(CsvTable.bytes(counts), StandardCharsets.UTF_8).lines()).containsExactly(
                "day,event,platform,count", "2026-11-23,a,ios,1", "2026-11-23,a,android,0", "2026-11-24,a,ios,2", "2026-11-24,a,android,5");
        assertThat(counts.csvName()).isEqualTo("counts-day-2026-11-23-2026-11-24");
    }
}
