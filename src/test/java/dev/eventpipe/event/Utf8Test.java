package dev.eventpipe.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "\udbff", "\udc00", "sur-\ud800", "a\udc00b", "\ud800\ud800\udc00", "end\ud83d"})
    void anUnpairedSurrogateIsRefusedNotReplaced(String text) {
        assertThatThrownBy(() -> Utf8.encode(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "é ü ß 東京", "emoji \ud83d\ude00 pair", "\ud83d\ude00"})
    void wellFormedTextIsItsExactUtf8Bytes(String text) {
        assertThat(Utf8.encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8.decodeOrNull(Utf8.encode(text), 0, Utf8.encode(text).length)).isEqualTo(text);
    }
}
