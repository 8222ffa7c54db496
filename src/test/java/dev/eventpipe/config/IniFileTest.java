package dev.eventpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How Commons Configuration's INIConfiguration (eventpipe's reader) and Python's ConfigParser (the
 * original prototype's, {@code RawConfigParser} read in Python 3.11) read the same lines. The
 * ConfigParser column was taken by running Python on each line.
 */
class IniFileTest {

    @TempDir
    Path dir;

    private IniFile read(String text) throws IOException {
        Path file = dir.resolve("settings.ini");
        Files.writeString(file, text);
        return IniFile.read(file);
    }

    static Stream<Arguments> theSame() {
        return Stream.of(
                Arguments.of("k=v", "v"),
                Arguments.of("k: v", "v"),
                Arguments.of("k =", ""),
                Arguments.of("K = v", "v"),
                // No list splitting: a comma is data.
                Arguments.of("k = a,b , c", "a,b , c"),
                // A comment sign with no space before it is data.
                Arguments.of("k = q;x#y", "q;x#y"),
                Arguments.of("k = a\"b", "a\"b"),
                Arguments.of("k = C:\\data\\dfs", "C:\\data\\dfs"),
                Arguments.of("k = jdbc:postgresql://db:5432/e?user=bob&password=x=y", "jdbc:postgresql://db:5432/e?user=bob&password=x=y"),
                // No interpolation: ConfigParser's default BasicInterpolation would refuse a lone '%', RawConfigParser keeps it.
                Arguments.of("k = 50%off", "50%off"),
                Arguments.of("k = %(home)s", "%(home)s"),
                // Commons' own ${...} interpolation is never applied: values are read from the nodes.
                Arguments.of("k = ${sys:user.home}", "${sys:user.home}"),
                Arguments.of("k = ${script:javascript:1+1}", "${script:javascript:1+1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("theSame")
    void readsTheseLinesAsConfigParserDoes(String line, String value) throws IOException {
        IniFile ini = read("[s]\n" + line + "\n");
        assertThat(ini.sections().get("s")).containsExactly(Map.entry("k", value));
        assertThat(ini.warnings()).isEmpty();
    }

    static Stream<Arguments> otherwise() {
        return Stream.of(
                // line, eventpipe reads, ConfigParser read
                Arguments.of("k = q ; a comment", "q", "q ; a comment"),
                Arguments.of("k = q # a comment", "q", "q # a comment"),
                Arguments.of("k = \"q\"", "q", "\"q\""),
                Arguments.of("k = 'q'", "q", "'q'"),
                Arguments.of("k = \"a\", \"b\"", "a", "\"a\", \"b\""),
                Arguments.of("k = \"a \\\" b\"", "a \" b", "\"a \\\" b\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherwise")
    void readsQuotesAndInlineCommentsOtherwiseAndSaysSo(String line, String value, String configParser) throws IOException {
        IniFile ini = read("[s]\n" + line + "\n");
        assertThat(ini.sections().get("s")).containsExactly(Map.entry("k", value));
        assertThat(ini.warnings()).singleElement().asString()
                .startsWith("[s] k on line 2 of settings.ini is read as '" + value + "', where the original prototype "
                        + "(Python's ConfigParser) read '" + configParser + "'");
    }

    @Test
    void aTrailingBackslashJoinsTheNextLineWhereConfigParserKeptIt() throws IOException {
        IniFile ini = read("[s]\nk = ab \\\n  cd\nj = 1\n");
        assertThat(ini.sections().get("s")).containsEntry("k", "ab" + System.lineSeparator() + "cd").containsEntry("j", "1");
        assertThat(ini.warnings()).singleElement().asString().contains("read as 'ab\\ncd'").contains("read 'ab \\'").doesNotContain("\n");
    }

    @Test
    void anIndentedLineIsAKeyOfItsOwnWhereConfigParserContinuedTheValue() throws IOException {
        // ConfigParser reads k = "ab\ncd"; no eventpipe key holds several lines, so the stray key is reported as unknown.
        IniFile ini = read("[s]\nk = ab\n  cd\n");
        assertThat(ini.sections().get("s")).containsExactly(Map.entry("k", "ab"), Map.entry("cd", ""));
    }

    @Test
    void sectionNamesAreLowerCasedWhereConfigParserKeptTheirCase() throws IOException {
        // As ini4j read them before: [AWS] is [aws].
        assertThat(read("[ AWS ]\nk = v\n").sections()).containsOnlyKeys("aws");
    }

    @Test
    void aCommentAfterASectionHeaderIsAllowedAsInConfigParser() throws IOException {
        assertThat(read("[aws] ; the queue\nk = v\n").sections()).containsExactly(Map.entry("aws", Map.of("k", "v")));
    }

    @Test
    void otherTextAfterASectionHeaderIsRefusedWhereConfigParserDroppedIt() {
        assertThatThrownBy(() -> read("[aws] k = v\n")).hasMessageEndingWith("line 1 '[aws] k = v': only a ; or # comment may follow a [section] header");
    }

    @Test
    void aKeyWithoutValueIsEmptyWhereConfigParserRefusedTheLine() throws IOException {
        assertThat(read("[s]\nk\n").sections().get("s")).containsExactly(Map.entry("k", ""));
    }

    @Test
    void aRepeatedSectionIsMergedWithAWarningWhereConfigParserRefusedIt() throws IOException {
        IniFile ini = read("[s]\na = 1\n[t]\n[s]\nb = 2\n");
        assertThat(ini.sections().get("s")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(ini.warnings()).containsExactly("section [s] appears twice in settings.ini (lines 1 and 4): its keys are read as one section");
    }

    @Test
    void aRepeatedKeyIsRefusedAsConfigParserRefusedIt() {
        assertThatThrownBy(() -> read("[s]\nk = 1\n\nK = 2\n")).isInstanceOf(SettingsException.class)
                .hasMessageEndingWith(": [s] k is given twice (lines 2 and 4): keep one (to override a key, set EVENTPIPE_S_K)");
    }

    @Test
    void aKeyBeforeAnySectionIsRefusedAsConfigParserRefusedIt() {
        assertThatThrownBy(() -> read("k = v\n[s]\n"))
                .hasMessageEndingWith("is not a valid INI file: line 1 'k = v': a key before the first [section]");
    }

    @Test
    void aBrokenSectionHeaderIsRefusedNamingItsLine() {
        assertThatThrownBy(() -> read("[s]\nk = v\n[t\n")).hasMessageEndingWith("is not a valid INI file: line 3 '[t': a [section] header must end with ']'");
    }

    @Test
    void aSecretOnABrokenLineIsNotShown() {
        assertThatThrownBy(() -> read("password = hunter2\n[s]\n")).hasMessageContaining("line 1 'password = ****'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aSecretReadOtherwiseIsNamedWithoutItsValue() throws IOException {
        IniFile ini = read("[warehouse]\npassword = \"hunter2\"\n");
        assertThat(ini.warnings()).singleElement().asString().contains("[warehouse] password on line 2").doesNotContain("hunter2");
    }

    @Test
    void windowsLineEndingsAndAByteOrderMarkAreRead() throws IOException {
        Path file = dir.resolve("crlf.ini");
        Files.write(file, "\uFEFF[s]\r\nk = v\r\n".getBytes(StandardCharsets.UTF_8));
        IniFile ini = IniFile.read(file);
        assertThat(ini.sections().get("s")).containsExactly(Map.entry("k", "v"));
        assertThat(ini.warnings()).isEmpty();
    }

    @Test
    void aByteThatIsNotUtf8IsNamedByLineAndColumnCountedInCharacters() throws IOException {
        Path file = dir.resolve("mixed.ini");
        byte[] head = "[s]\nk = é".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = '\n';
        Files.write(file, bytes);
        assertThatThrownBy(() -> IniFile.read(file)).hasMessageEndingWith("line 2 is not UTF-8 (byte 0xFF at column 6): save it as UTF-8");
    }
}
