package dev.eventpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultRatesTest {

    @Test
    void parsesEveryKindAndLeavesTheOthersAtZero() {
        assertThat(FaultRates.parse("duplicate=0.01,malformed=0.001,late=0.02,oversize=0.0005"))
                .isEqualTo(new FaultRates(0.01, 0.001, 0.02, 0.0005));
        assertThat(FaultRates.parse(" late = 0.5 ")).isEqualTo(new FaultRates(0, 0, 0.5, 0));
        assertThat(FaultRates.parse("").any()).isFalse();
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> FaultRates.parse("dupes=0.1")).hasMessageContaining("unknown fault 'dupes'");
        assertThatThrownBy(() -> FaultRates.parse("late=lots")).hasMessageContaining("'late'").hasMessageContaining("lots");
        assertThatThrownBy(() -> FaultRates.parse("late=2")).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> FaultRates.parse("late")).hasMessageContaining("kind=rate");
        assertThatThrownBy(() -> FaultRates.parse("late=0.6,duplicate=0.6")).hasMessageContaining("more than 1");
    }
}
