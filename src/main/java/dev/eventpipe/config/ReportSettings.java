package dev.eventpipe.config;

import java.nio.file.Path;

/**
 * {@code [report]}: where charts and the dashboard go and how they look.
 *
 * @param out    local folder for charts and {@code index.html} (they are also written to the file store under reports/)
 * @param port   the dashboard's HTTP port on 127.0.0.1 (eventpipe run)
 * @param days   daily charts cover this many days, today included
 * @param width  chart width in pixels
 * @param height chart height in pixels
 */
public record ReportSettings(Path out, int port, int days, int width, int height) {

    static final String SECTION = "report";

    static ReportSettings read(SettingsReader r) {
        return new ReportSettings(
                r.path(SECTION, "out", "reports"),
                r.integer(SECTION, "port", 8080, 1, 65535),
                r.integer(SECTION, "days", 14, 1, 366),
                r.integer(SECTION, "width", 900, 200, 4000),
                r.integer(SECTION, "height", 450, 150, 3000));
    }
}
