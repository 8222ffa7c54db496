package dev.eventpipe.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;

/**
 * What one report run wrote. Each file went to the local folder and to the file store under
 * {@code reports/}.
 *
 * @param charts    charts rendered
 * @param files     files written per place: 4 per chart (timestamped and latest PNG and SVG) plus {@code index.html}
 * @param pruned    old timestamped files deleted, both places together
 * @param dashboard the local {@code index.html}, an absolute path
 * @param seconds   how long the run took
 */
@JsonPropertyOrder({"charts", "files", "pruned", "dashboard", "seconds"})
public record ReportSummary(int charts, int files, int pruned, String dashboard, double seconds) {

    /** One line for logs and job history. */
    public String line() {
        return String.format(Locale.ROOT, "%d charts, %d files, %d old files removed, %.1f s, dashboard %s",
                charts, files, pruned, seconds, dashboard);
    }
}
