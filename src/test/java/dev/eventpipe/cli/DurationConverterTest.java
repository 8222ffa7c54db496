package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void readsDurationsAsPeopleTypeThem() {
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(DurationConverter.parse("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rejectsAnythingElseWithExamples() {
        for (String bad : new String[] {"", "3x", "s", "5 m", "-5s", "1.5h"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("examples");
        }
    }
}
