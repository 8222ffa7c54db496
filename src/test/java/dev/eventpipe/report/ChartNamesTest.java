package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartNamesTest {

    @Test
    void eventNamesBecomeLowerCaseSlugsOfSafeCharacters() {
        assertThat(ChartNames.slug("registration_initiated")).isEqualTo("registration_initiated");
        assertThat(ChartNames.slug("Sign Up / Done!")).isEqualTo("sign-up-done");
        assertThat(ChartNames.slug("<script>alert('x')</script>")).isEqualTo("script-alert-x-script");
        assertThat(ChartNames.slug("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(ChartNames.slug("Ünïcödé")).isEqualTo("n-c-d");
        assertThat(ChartNames.slug("???")).isEqualTo("event");
        assertThat(ChartNames.slug("x".repeat(300))).hasSize(60);
    }

    @Test
    void collidingSlugsGetANumberInConfiguredOrder() {
        Map<String, String> names = ChartNames.forEvents(List.of("Sign Up", "sign-up", "sign up", "Sign Up"));

        assertThat(names).containsExactly(Map.entry("Sign Up", "daily-sign-up"), Map.entry("sign-up", "daily-sign-up-2"),
                Map.entry("sign up", "daily-sign-up-3"));
    }

    @Test
    void anEventNeverTakesTheNameOfAFixedChart() {
        Map<String, String> names = ChartNames.forEvents(List.of("active devices"));

        assertThat(names).containsEntry("active devices", "daily-active-devices-2");
    }

    @Test
    void everyNameIsSafeAsAFileName() {
        Map<String, String> names = ChartNames.forEvents(List.of("a/b", "..", "", " ", "C:\\x", "it's"));

        assertThat(names.values()).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z0-9_-]+"));
    }
}
