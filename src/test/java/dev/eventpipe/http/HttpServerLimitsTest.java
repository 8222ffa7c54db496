package dev.eventpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerLimitsTest {

    static final HttpServerLimits OK = new HttpServerLimits(Duration.ofSeconds(30), 16, 256, 8192);

    @Test
    void aLimitThatWouldLetClientsHoldTheServerIsRejectedAtOnceNamingIt() {
        assertThatThrownBy(() -> OK.withIdleTimeout(Duration.ZERO)).hasMessage("idleTimeout <= 0: PT0S");
        assertThatThrownBy(() -> new HttpServerLimits(null, 16, 256, 8192)).hasMessage("idleTimeout");
        assertThatThrownBy(() -> new HttpServerLimits(Duration.ofSeconds(1), 2, 256, 8192)).hasMessage("maxThreads < 4: 2");
        assertThatThrownBy(() -> new HttpServerLimits(Duration.ofSeconds(1), 16, 0, 8192)).hasMessage("maxConnections < 1: 0");
        assertThatThrownBy(() -> new HttpServerLimits(Duration.ofSeconds(1), 16, 256, 100)).hasMessage("maxHeaderBytes < 1024: 100");
    }

    @Test
    void withIdleTimeoutKeepsTheOtherLimits() {
        assertThat(OK.withIdleTimeout(Duration.ofSeconds(2)))
                .isEqualTo(new HttpServerLimits(Duration.ofSeconds(2), 16, 256, 8192));
    }
}
