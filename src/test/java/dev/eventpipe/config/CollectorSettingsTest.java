package dev.eventpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorSettingsTest {

    static Settings load(Map<String, String> env) {
        return Settings.load(Path.of("no-such-settings.ini"), false, env);
    }

    @Test
    void theDefaultsServeLoopbackWithoutKeys() {
        CollectorSettings c = load(Map.of()).collector();

        assertThat(c.port()).isEqualTo(8088);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.writeKeys()).isEmpty();
        assertThat(c.allowedOrigins()).containsExactly("*");
        assertThat(c.loopbackOnly()).isTrue();
        assertThat(c.batchWaitMillis()).isBetween(0, 20);
    }

    @Test
    void anAddressOtherThanLoopbackNeedsWriteKeys() {
        assertThatThrownBy(() -> load(Map.of("EVENTPIPE_COLLECTOR_BIND", "0.0.0.0")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("[collector] write_keys = '': must name at least one key while [collector] bind = '0.0.0.0'");

        CollectorSettings c = load(Map.of("EVENTPIPE_COLLECTOR_BIND", "0.0.0.0", "EVENTPIPE_COLLECTOR_WRITE_KEYS", "k1, k2")).collector();
        assertThat(c.writeKeys()).containsExactly("k1", "k2");
        assertThat(c.loopbackOnly()).isFalse();
    }

    @Test
    void loopbackIsToldByAddressNotByName() {
        assertThat(CollectorSettings.isLoopback("::1")).isTrue();
        assertThat(CollectorSettings.isLoopback("127.0.0.2")).isTrue();
        assertThat(CollectorSettings.isLoopback("localhost")).isTrue();
        assertThat(CollectorSettings.isLoopback("10.0.0.1")).isFalse();
        assertThat(CollectorSettings.isLoopback("::")).isFalse();
    }

    @Test
    void originsAreSchemeHostAndPortOrAny() {
        assertThat(load(Map.of("EVENTPIPE_COLLECTOR_ALLOWED_ORIGINS", "https://app.example.com, http://*.shop.test:8080"))
                .collector().allowedOrigins()).isEqualTo(List.of("https://app.example.com", "http://*.shop.test:8080"));
        assertThatThrownBy(() -> load(Map.of("EVENTPIPE_COLLECTOR_ALLOWED_ORIGINS", "app.example.com")))
                .hasMessageContaining("[collector] allowed_origins");
    }
}
