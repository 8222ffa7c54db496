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

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "x\udc00", "\ud83d\ude00 then \udc00", "\ud83d\ude00\ud83d", "é\ud83d\ude00\ud800x", "\udc00\ud800"})
    void aLoneSurrogateIsFoundWhereverItIsInAStringOrInAParsersCharsBetweenOthers(String text) {
        assertThat(Utf8.hasLoneSurrogate(text)).isTrue();
        char[] buffer = ("\ud83d\ude00<" + text + ">\ud83d\ude00").toCharArray();
        assertThat(Utf8.hasLoneSurrogate(buffer, 3, text.length())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "é ü ß 東京", "\ud83d\ude00", "a \ud83d\ude00 b \ud83d\ude01"})
    void pairedSurrogatesAndOtherTextAreNotLoneInAStringOrInAParsersChars(String text) {
        assertThat(Utf8.hasLoneSurrogate(text)).isFalse();
        char[] buffer = ("\ud800<" + text + ">\udc00").toCharArray();
        assertThat(Utf8.hasLoneSurrogate(buffer, 2, text.length())).as("only the slice counts, not the lone ones around it").isFalse();
    }

    @Test
    void aPairCutByTheSlicesEndLeavesItsHalfLone() {
        char[] buffer = "ab\ud83d\ude00".toCharArray();
        assertThat(Utf8.hasLoneSurrogate(buffer, 0, 3)).isTrue();
        assertThat(Utf8.hasLoneSurrogate(buffer, 3, 1)).isTrue();
        assertThat(Utf8.hasLoneSurrogate(buffer, 0, 4)).isFalse();
    }
}
