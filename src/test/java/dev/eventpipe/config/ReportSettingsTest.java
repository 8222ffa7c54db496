package dev.eventpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSettingsTest {

    /** bcrypt of "correct horse", cost 4. */
    static final String HASH = "$2a$04$8gdtK16Ltcz6xg6peMPElewQI0AUb8J7EZJlYNm4fCbqOtrox92HC";

    @TempDir
    Path dir;

    private Settings load(String report, Map<String, String> env) throws IOException {
        Path file = dir.resolve("settings.ini");
        Files.writeString(file, "[report]\n" + report);
        return Settings.load(file, true, env);
    }

    @Test
    void theDashboardListensOnThisMachineOnlyByDefault() throws IOException {
        ReportSettings r = load("", Map.of()).report();
        assertThat(r.bind()).isEqualTo("127.0.0.1");
        assertThat(r.loopbackOnly()).isTrue();
        assertThat(r.users()).isEmpty();
    }

    @Test
    void openingItToTheNetworkWithoutUsersIsRefusedNamingBind() {
        assertThatThrownBy(() -> load("bind = 0.0.0.0\n", Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("[report] bind = '0.0.0.0': opens the dashboard to the network")
                .hasMessageContaining("[report] users");
    }

    @Test
    void openingItWithUsersWhosePasswordsAreHashedIsAccepted() throws IOException {
        ReportSettings r = load("bind = 0.0.0.0\nusers = alice:" + HASH + ", bob:" + HASH + "\n", Map.of()).report();
        assertThat(r.loopbackOnly()).isFalse();
        assertThat(r.users()).extracting(ReportSettings.User::name).containsExactly("alice", "bob");
        assertThat(r.users().get(0).passwordHash()).isEqualTo(HASH);
    }

    @Test
    void everyLoopbackAddressKeepsItLocal() throws IOException {
        for (String local : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
            assertThat(load("bind = " + local + "\n", Map.of()).report().loopbackOnly()).as(local).isTrue();
        }
    }

    @Test
    void aPlainPasswordIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> load("users = alice:hunter2-secret\n", Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("[report] users = '****'")
                .hasMessageContaining("the password of 'alice' is not a bcrypt hash")
                .message().doesNotContain("hunter2");
    }

    @Test
    void aRepeatedUserIsRefused() {
        assertThatThrownBy(() -> load("users = alice:" + HASH + ", alice:" + HASH + "\n", Map.of()))
                .hasMessageContaining("'alice' is given twice");
    }

    @Test
    void theHashesAreNeverShownInTheEffectiveSettings() throws IOException {
        Settings s = load("users = alice:" + HASH + "\n", Map.of());
        assertThat(s.effective().get("report.users")).isEqualTo("****");
    }

    @Test
    void anAddressThatIsNotOneIsRefused() {
        for (String bad : new String[] {"300.1.2.3", "example.com", "1.2.3", ":::x"}) {
            assertThatThrownBy(() -> load("bind = " + bad + "\n", Map.of())).as(bad)
                    .hasMessageStartingWith("[report] bind = '" + bad + "': must be an IP address");
        }
    }
}
