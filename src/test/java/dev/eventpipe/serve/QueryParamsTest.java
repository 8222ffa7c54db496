package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-24");

    private static QueryParams params(String... pairs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return new QueryParams(values, TODAY, 14);
    }

    private static void refused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
                .hasMessage(message);
    }

    @Test
    void withoutARangeTheLastDaysUpToTodayAreShown() {
        DateRange r = params().range(Granularity.DAY);
        assertThat(r.from()).isEqualTo("2026-11-11");
        assertThat(r.to()).isEqualTo(TODAY);
        assertThat(r.days()).isEqualTo(14);
        assertThat(r.start()).isEqualTo("2026-11-11T00:00:00Z");
        assertThat(r.end()).isEqualTo("2026-11-25T00:00:00Z");
    }

    @Test
    void aDateThatIsNotOneIsRefusedNamingIt() {
        refused(() -> params("from", "2026-13-01").range(Granularity.DAY),
                "from = '2026-13-01': not a date; write YYYY-MM-DD (a UTC day)");
        refused(() -> params("to", "yesterday").range(Granularity.DAY), "to = 'yesterday': not a date; write YYYY-MM-DD (a UTC day)");
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsRefused() {
        refused(() -> params("from", "2026-11-20", "to", "2026-11-10").range(Granularity.DAY),
                "from = '2026-11-20' is after to = '2026-11-10': the range must start on or before its end");
    }

    @Test
    void eachGranularityCapsHowLongARangeMayBe() {
        assertThat(params("from", "2026-10-25", "to", "2026-11-24").range(Granularity.HOUR).days()).isEqualTo(31);
        refused(() -> params("from", "2026-10-24", "to", "2026-11-24").range(Granularity.HOUR),
                "from = '2026-10-24' to '2026-11-24' spans 32 days; hour buckets show 31 days at most: "
                        + "choose a shorter range or a coarser granularity");
        refused(() -> params("from", "2020-01-01", "to", "2026-11-24").range(Granularity.DAY),
                "from = '2020-01-01' to '2026-11-24' spans 2520 days; day buckets show 366 days at most: "
                        + "choose a shorter range or a coarser granularity");
    }

    @Test
    void aDayOutsideWhatEveryEngineStoresIsRefused() {
        refused(() -> params("from", "1969-12-31", "to", "1970-01-02").range(Granularity.DAY),
                "from = '1969-12-31': must be from 1970-01-01 to 9999-12-30");
    }

    @Test
    void anUnknownParameterIsRefusedRatherThanIgnored() {
        refused(() -> params("evnt", "a").allowOnly(Set.of("event", "from")),
                "unknown parameter 'evnt': this endpoint takes event, from");
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        refused(() -> params("from", "2026-11-01", "from", "2026-11-02").range(Granularity.DAY),
                "from is given 2 times: give it once");
    }

    @Test
    void eventsAreOneParameterEachSoANameMayHoldACommaAndRepeatsCountOnce() {
        assertThat(params("event", "a,b", "event", "c", "event", "a,b").events(12)).containsExactly("a,b", "c");
        refused(() -> params().events(12), "give 1 to 12 event parameters (event=a&event=b...); got 0");
        refused(() -> params("event", "a", "event", "b", "event", "c").events(2), "give 1 to 2 event parameters (event=a&event=b...); got 3");
        refused(() -> params("event", "x".repeat(257)).events(12),
                "event = '" + "x".repeat(80) + "...': an event name has 1 to 256 characters");
    }

    @Test
    void aFunnelTakesTwoToMaxStepsInOrderRepeatsAllowed() {
        assertThat(params("step", "b", "step", "a", "step", "b").steps(6)).containsExactly("b", "a", "b");
        refused(() -> params("step", "a").steps(6), "a funnel takes 2 to 6 step parameters (step=a&step=b...), in order; got 1");
    }

    @Test
    void theWindowIsWholeSecondsWithinBounds() {
        assertThat(params().windowSeconds()).isEqualTo(86_400);
        assertThat(params("window", "3600").windowSeconds()).isEqualTo(3600);
        refused(() -> params("window", "59").windowSeconds(), "window = '59': must be whole seconds from 60 to 7776000 (90 days)");
        refused(() -> params("window", "1d").windowSeconds(), "window = '1d': must be whole seconds from 60 to 7776000 (90 days)");
    }

    @Test
    void granularityPlatformAndFormatAreChecked() {
        assertThat(params().granularity(Granularity.DAY)).isEqualTo(Granularity.DAY);
        assertThat(params("granularity", "week").granularity(Granularity.DAY)).isEqualTo(Granularity.WEEK);
        refused(() -> params("granularity", "minute").granularity(Granularity.DAY),
                "granularity = 'minute': must be hour, day, week or month");
        assertThat(params("platform", "ios").platform()).isEqualTo(Optional.of("ios"));
        assertThat(params().platform()).isEmpty();
        refused(() -> params("platform", "p".repeat(65)).platform(),
                "platform = '" + "p".repeat(65) + "': a platform has at most 64 characters");
        assertThat(params("format", "csv").csv()).isTrue();
        refused(() -> params("format", "xml").csv(), "format = 'xml': must be json or csv");
    }

    @Test
    void aValueIsShownOnOneLineAndShort() {
        refused(() -> params("granularity", "a\nb").granularity(Granularity.DAY), "granularity = 'a?b': must be hour, day, week or month");
    }
}
