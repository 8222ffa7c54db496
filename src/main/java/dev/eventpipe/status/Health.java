package dev.eventpipe.status;

import dev.eventpipe.config.StatusSettings;
import dev.eventpipe.ingest.ConsumerSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whether the pipeline is healthy, not only consistent: of the events consumers received in the
 * last {@code [status] window_minutes}, the share rejected must not pass {@code max_rejected_share}.
 * A producer whose every event is dead-lettered keeps the counts in perfect agreement; this is what
 * says something is wrong, naming the top reasons with an example each.
 */
final class Health {

    private static final int TOP = 3;

    private Health() {
    }

    static StatusReport.Health check(List<ConsumerSummary> published, DeadLetterTally tally, StatusSettings s, Instant now) {
        if (published == null) {
            return null;
        }
        Instant since = now.minus(s.window());
        long fromMinute = since.getEpochSecond() / 60;
        long valid = 0;
        long rejected = 0;
        for (ConsumerSummary c : published) {
            for (ConsumerSummary.Minute m : c.recent()) {
                if (m.minute() >= fromMinute) {
                    valid += m.valid();
                    rejected += m.rejected();
                }
            }
        }
        Map<String, Long> recentRejections = tally == null ? Map.of() : tally.rejectedSince(since);
        if (tally != null) {
            // The records count each rejection once and know which were replayed and accepted since:
            // a recovered pipeline is healthy again, however many it once refused.
            rejected = recentRejections.values().stream().mapToLong(Long::longValue).sum();
        }
        long total = valid + rejected;
        double share = total == 0 ? 0 : (double) rejected / total;
        List<StatusReport.Reason> top = new ArrayList<>();
        if (tally != null && rejected > 0) {
            Map<String, String> samples = tally.samples();
            recentRejections.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP)
                    .forEach(e -> top.add(new StatusReport.Reason(e.getKey(), e.getValue(), samples.get(e.getKey()))));
        }
        boolean ok = total == 0 || share <= s.maxRejectedShare();
        String line;
        if (total == 0) {
            line = "no events received in the last " + s.windowMinutes() + " min";
        } else {
            line = String.format("%s of %,d events received in the last %d min were rejected (%.1f%%; at most %.1f%% is healthy)",
                    String.format("%,d", rejected), total, s.windowMinutes(), share * 100, s.maxRejectedShare() * 100);
            if (!top.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (StatusReport.Reason r : top) {
                    parts.add(r.reason() + " " + r.count() + (r.sample() == null ? "" : " (e.g. " + r.sample() + ")"));
                }
                line += ": " + String.join("; ", parts);
            }
        }
        return new StatusReport.Health(ok, s.windowMinutes(), valid, rejected, share, s.maxRejectedShare(), top, line);
    }
}
