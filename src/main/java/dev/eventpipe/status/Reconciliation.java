package dev.eventpipe.status;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the per-stage counts agree (DESIGN.md: every valid event in {@code events} exactly once,
 * every invalid one on the dead-letter queue). Each rule that can be checked with what is known is
 * listed, passing or not; a part that could not be read is a problem, never a silent pass.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    public static StatusReport.Reconciliation check(StatusReport.Counts c, StatusReport.Files f, StatusReport.Warehouse w,
                                                    StatusReport.Queue q, StatusReport.DeadLetters d, StatusReport.Generated g) {
        return check(c, f, w, q, d, g, null);
    }

    /** The same, and the Parquet lake's rows on each day against the warehouse's rows of that day ({@code lake} null: no lake). */
    public static StatusReport.Reconciliation check(StatusReport.Counts c, StatusReport.Files f, StatusReport.Warehouse w,
                                                    StatusReport.Queue q, StatusReport.DeadLetters d, StatusReport.Generated g,
                                                    StatusReport.Lake lake) {
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (q != null && q.error() != null) {
            // No count rule rests on the queue alone (the embedded server is often simply not running):
            // said, not a mismatch. Status still exits 1 for it.
            checks.add("note: could not read the queue: " + q.error());
        }
        unreadable(checks, problems, "the file store", f == null ? null : f.error());
        unreadable(checks, problems, "the warehouse", w == null ? null : w.error());
        unreadable(checks, problems, "the dead-letter records", d == null ? null : d.error());
        if (c != null) {
            rule(checks, problems, c.receivedEvents() == c.validEvents() + c.rejectedTotal(),
                    "received " + c.receivedEvents() + " = valid " + c.validEvents() + " + rejected " + c.rejectedTotal()
                            + " (as each consumer counted them)");
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
            long adopted = w.rowsAdopted() == null ? 0 : w.rowsAdopted();
            if (w.duplicatesRecorded() != null) {
                rule(checks, problems, w.rowsLoaded() - w.duplicatesRecorded() == w.rowsFromFiles(),
                        "loaded " + w.rowsLoaded() + " - duplicates skipped " + w.duplicatesRecorded() + " = rows " + w.rows()
                                + (adopted == 0 ? "" : " - " + adopted + " adopted from the prototype's table"));
            }
            rule(checks, problems, w.rows().equals(w.distinctIds()), "rows " + w.rows() + " = distinct ids " + w.distinctIds());
        }
        long rejected = d != null && d.error() == null ? d.rejected() : c == null ? 0 : c.rejectedTotal();
        if ((c != null || d != null) && q != null && q.deadLetterVisible() != null) {
            long dead = q.deadLetterVisible() + q.deadLetterInFlight();
            if (dead == rejected) {
                checks.add("ok: dead-letter queue " + dead + " = rejected " + rejected);
            } else {
                // Not a loss either way: the redrive policy adds messages that failed too often, a message
                // delivered twice may be dead-lettered twice, and anyone reading the queue takes some away.
                checks.add("note: dead-letter queue " + dead + " vs rejected " + rejected + (dead > rejected
                        ? " (the rest: copies of a redelivered message, or dead-lettered by the redrive policy; 'eventpipe dlq' counts each once)"
                        : " (some were taken off it)"));
            }
        }
        // Events replayed from the dead-letter queue and accepted were valid all along (an older version or
        // setting refused them): they count among the valid events generated, not the malformed ones.
        if (g != null && w != null && w.rows() != null) {
            long queued = q == null || q.visible() == null ? 0 : q.visible() + q.inFlight();
            Long pending = f == null || f.incoming() == null ? null : f.incoming().rows();
            if (queued > 0 || pending == null || pending > 0) {
                checks.add("not yet: rows " + w.rows() + " vs unique valid events generated " + g.uniqueValid()
                        + " (" + queued + " messages queued, " + (pending == null ? "uncounted" : pending) + " rows waiting for a load)");
            } else {
                rule(checks, problems, w.rowsFromFiles() == g.uniqueValid(), "rows " + w.rowsFromFiles()
                        + (w.rowsAdopted() == null || w.rowsAdopted() == 0 ? "" : " (besides " + w.rowsAdopted() + " adopted)")
                        + " = unique valid events generated " + g.uniqueValid());
            }
        }
        if (g != null && (c != null || d != null)) {
            rule(checks, problems, rejected == g.malformed() + g.oversize(),
                    "rejected " + rejected + " = malformed " + g.malformed() + " + oversize " + g.oversize() + " generated");
        }
        lake(checks, problems, lake);
        return new StatusReport.Reconciliation(problems.isEmpty(), checks, problems);
    }

    /**
     * Every compacted day that has no file left to load or compact holds in the lake exactly the
     * warehouse's rows of that day: both keep each event id once, from the same files.
     */
    private static void lake(List<String> checks, List<String> problems, StatusReport.Lake lake) {
        if (lake == null) {
            return;
        }
        unreadable(checks, problems, "the lake", lake.error());
        for (String p : lake.problems()) {
            checks.add("MISMATCH: lake: " + p);
            problems.add("lake: " + p);
        }
        lake.notes().forEach(n -> checks.add("note: lake " + n));
        if (lake.error() != null || lake.days().isEmpty()) {
            return;
        }
        List<StatusReport.LakeDay> checked = lake.days().stream().filter(x -> !x.waiting() && x.warehouseRows() != null).toList();
        long waiting = lake.days().stream().filter(StatusReport.LakeDay::waiting).count();
        long unknown = lake.days().stream().filter(x -> !x.waiting() && x.warehouseRows() == null).count();
        if (!checked.isEmpty()) {
            List<String> differ = checked.stream().filter(x -> x.rows() != x.warehouseRows())
                    .map(x -> "dt=" + x.day() + " lake " + x.rows() + " vs warehouse " + x.warehouseRows()).toList();
            long rows = checked.stream().mapToLong(StatusReport.LakeDay::rows).sum();
            rule(checks, problems, differ.isEmpty(), differ.isEmpty()
                    ? "lake rows = warehouse rows on each of " + checked.size() + " compacted days (" + rows + " rows)"
                    : "lake rows differ from the warehouse's on " + differ.size() + " of " + checked.size() + " compacted days: "
                            + String.join(", ", differ.subList(0, Math.min(5, differ.size()))) + (differ.size() > 5 ? ", ..." : ""));
        }
        if (waiting > 0) {
            checks.add("not yet: lake vs warehouse on " + waiting + " days with files still to load or compact");
        }
        if (unknown > 0) {
            checks.add("lake vs warehouse on " + unknown + " days: not checked (the warehouse's rows could not be read)");
        }
    }

    private static void unreadable(List<String> checks, List<String> problems, String part, String error) {
        if (error != null) {
            String text = "could not read " + part + ": " + error;
            checks.add("UNKNOWN: " + text);
            problems.add(text);
        }
    }

    private static void rule(List<String> checks, List<String> problems, boolean holds, String text) {
        checks.add((holds ? "ok: " : "MISMATCH: ") + text);
        if (!holds) {
            problems.add(text);
        }
    }
}
