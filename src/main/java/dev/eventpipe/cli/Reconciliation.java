package dev.eventpipe.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the per-stage counts agree (DESIGN.md: every valid event in {@code events} exactly once,
 * every invalid one on the dead-letter queue). Each rule that can be checked with what is known is
 * listed, passing or not.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    static PipelineStatus.Reconciliation check(PipelineStatus.Counts c, PipelineStatus.Files f, PipelineStatus.Warehouse w,
                                               PipelineStatus.Queue q, PipelineStatus.Generated g) {
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (c != null) {
            rule(checks, problems, c.receivedEvents() == c.validEvents() + c.rejectedTotal(),
                    "received " + c.receivedEvents() + " = valid " + c.validEvents() + " + rejected " + c.rejectedTotal());
        }
        if (c != null && w != null && w.rowsLoaded() != null && f != null && f.incoming() != null) {
            Long pending = f.incoming().rows();
            Long quarantined = f.quarantine() == null ? null : f.quarantine().rows();
            if (pending != null && quarantined != null) {
                rule(checks, problems, c.writtenEvents() == w.rowsLoaded() + pending + quarantined,
                        "written " + c.writtenEvents() + " = loaded " + w.rowsLoaded() + " + pending " + pending
                                + " + quarantined " + quarantined
                                + (c.uncountedFiles() == 0 ? "" : " (" + c.uncountedEvents() + " written counted from the store)"));
            } else {
                checks.add("written " + c.writtenEvents() + " vs loaded " + w.rowsLoaded() + ": not checked (too many pending files to count)");
            }
        }
        if (w != null && w.rowsLoaded() != null && w.rows() != null) {
            if (w.duplicatesRecorded() != null) {
                rule(checks, problems, w.rowsLoaded() - w.duplicatesRecorded() == w.rows(),
                        "loaded " + w.rowsLoaded() + " - duplicates skipped " + w.duplicatesRecorded() + " = rows " + w.rows());
            }
            rule(checks, problems, w.rows().equals(w.distinctIds()), "rows " + w.rows() + " = distinct ids " + w.distinctIds());
        }
        if (c != null && q != null && q.deadLetterVisible() != null) {
            long dead = q.deadLetterVisible() + q.deadLetterInFlight();
            if (dead == c.rejectedTotal()) {
                checks.add("ok: dead-letter queue " + dead + " = rejected " + c.rejectedTotal());
            } else {
                // Not a loss either way: the redrive policy adds messages that failed too often, and
                // anyone reading the dead-letter queue takes some away.
                checks.add("note: dead-letter queue " + dead + " vs rejected " + c.rejectedTotal()
                        + (dead > c.rejectedTotal() ? " (the rest were dead-lettered by the redrive policy)" : " (some were taken off it)"));
            }
        }
        if (g != null && w != null && w.rows() != null) {
            long queued = q == null || q.visible() == null ? 0 : q.visible() + q.inFlight();
            Long pending = f == null || f.incoming() == null ? null : f.incoming().rows();
            if (queued > 0 || pending == null || pending > 0) {
                checks.add("not yet: rows " + w.rows() + " vs unique valid events generated " + g.uniqueValid()
                        + " (" + queued + " messages queued, " + (pending == null ? "uncounted" : pending) + " rows waiting for a load)");
            } else {
                rule(checks, problems, w.rows() == g.uniqueValid(), "rows " + w.rows() + " = unique valid events generated " + g.uniqueValid());
            }
        }
        if (g != null && c != null) {
            rule(checks, problems, c.rejectedTotal() == g.malformed() + g.oversize(),
                    "rejected " + c.rejectedTotal() + " = malformed " + g.malformed() + " + oversize " + g.oversize() + " generated");
        }
        return new PipelineStatus.Reconciliation(problems.isEmpty(), checks, problems);
    }

    private static void rule(List<String> checks, List<String> problems, boolean holds, String text) {
        checks.add((holds ? "ok: " : "MISMATCH: ") + text);
        if (!holds) {
            problems.add(text);
        }
    }
}
