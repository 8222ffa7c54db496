package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.testkit.Browser;
import dev.eventpipe.testkit.Prerequisite;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check itself: it sees what a user sees, and it can fail. */
class DashboardBrowserIT {

    @TempDir
    Path dir;

    @BeforeEach
    void needsChromium() {
        Prerequisite.browser();
    }

    @Test
    void aPageWhoseImagesLoadShowsThemWithTheirSizeAndNoConsoleError() throws Exception {
        ImageIO.write(new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("chart-latest.png").toFile());
        Files.writeString(dir.resolve("index.html"), "<!DOCTYPE html><html><head><title>ok</title><link rel=\"icon\" href=\"data:,\">"
                + "</head><body><img src=\"chart-latest.png\" alt=\"c\"></body></html>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            Browser.Page page = Browser.load(s.url().toString());
            assertThat(page.title()).isEqualTo("ok");
            assertThat(page.images()).singleElement().satisfies(i -> {
                assertThat(((Number) i.get("naturalWidth")).intValue()).isEqualTo(120);
                assertThat(((Number) i.get("naturalHeight")).intValue()).isEqualTo(80);
            });
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aMissingImageAndAConsoleErrorAreSeen() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<!DOCTYPE html><html><head><title>bad</title><link rel=\"icon\" href=\"data:,\">"
                + "</head><body><img src=\"missing.png\" alt=\"m\"><script>console.error('boom')</script></body></html>");
        try (DashboardServer s = DashboardServer.start(dir, EmbeddedQueueServer.freePort())) {
            Browser.Page page = Browser.load(s.url().toString());
            assertThat(page.images()).singleElement().satisfies(i -> assertThat(((Number) i.get("naturalWidth")).intValue()).isZero());
            assertThat(page.consoleErrors()).anySatisfy(e -> assertThat(e).contains("boom"))
                    .anySatisfy(e -> assertThat(e).contains("missing.png"));
        }
    }
}
