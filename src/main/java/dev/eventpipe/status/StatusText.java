package dev.eventpipe.status;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/** {@code eventpipe status} for people: one line per part, the checks, and a verdict line. */
public final class StatusText {

    private StatusText() {
    }

    public static void print(PrintWriter out, StatusReport s) {
        StatusReport.Queue q = s.queue();
        out.println(q.error() != null ? "queue      " + q.name() + ": cannot read: " + q.error()
                : String.format("queue      '%s': %,d visible, %,d in flight; dead-letter '%s': %,d visible, %,d in flight",
                        q.name(), q.visible(), q.inFlight(), q.deadLetterName(), q.deadLetterVisible(), q.deadLetterInFlight()));
        StatusReport.Files f = s.files();
        out.println(f.error() != null ? "files      " + f.location() + ": cannot read: " + f.error()
                : "files      " + f.location() + ": incoming " + area(f.incoming()) + ", archive " + area(f.archive())
                        + ", quarantine " + area(f.quarantine()));
        StatusReport.Warehouse w = s.warehouse();
        out.println(w.error() != null ? "warehouse  " + w.location() + ": cannot read: " + w.error()
                : String.format("warehouse  %s: %,d rows, %,d distinct ids, %,d files loaded (%,d rows), %,d duplicates skipped, last load %s",
                        w.location(), w.rows(), w.distinctIds(), w.filesLoaded(), w.rowsLoaded(), w.duplicatesSkipped(),
                        w.lastLoad() == null ? "never" : w.lastLoad()));
        StatusReport.Lake l = s.lake();
        if (l != null) {
            long waiting = l.days().stream().filter(StatusReport.LakeDay::waiting).count();
            out.println(l.error() != null ? "lake       cannot read: " + l.error()
                    : String.format("lake       %,d Parquet files (%.1f MB), %,d rows on %,d days%s", l.files(), l.bytes() / 1e6, l.rows(),
                            l.days().size(), waiting == 0 ? "" : String.format(" (%,d with files still to load or compact)", waiting)));
        }
        out.println("jobs       " + (s.jobs().isEmpty() ? "no runs yet" : s.jobs().stream()
                .map(j -> j.job() + " " + j.status() + " at " + j.started() + (j.detail() == null ? "" : " (" + j.detail() + ")"))
                .collect(Collectors.joining("; "))));
        StatusReport.Counts c = s.counts();
        if (c != null) {
            String rejected = c.rejected().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.printf("counts     %d consumer runs: received %,d events (%,d valid, %,d rejected%s), written %,d in %,d files%s%n",
                    c.consumers(), c.receivedEvents(), c.validEvents(), c.rejectedTotal(), rejected.isEmpty() ? "" : ": " + rejected,
                    c.writtenEvents(), c.filesWritten(), c.uncountedFiles() == 0 ? ""
                            : String.format(" (%,d events in %,d files counted from the store: their consumer stopped or had not"
                                    + " published since writing them)", c.uncountedEvents(), c.uncountedFiles()));
        }
        StatusReport.DeadLetters d = s.deadLetters();
        if (d != null) {
            out.println(d.error() != null ? "rejected   cannot read the dead-letter records: " + d.error()
                    : String.format("rejected   %,d events, each counted once (%s)%s", d.rejected(),
                            d.byReason().isEmpty() ? "none" : d.byReason().entrySet().stream()
                                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                            d.replayed() == 0 ? "" : String.format("; %,d replayed and accepted", d.replayed())));
        }
        if (s.generated() != null) {
            out.printf("generated  %,d sent, %,d unique valid%n", s.generated().sent(), s.generated().uniqueValid());
        }
        if (s.health() != null) {
            out.println("health     " + (s.health().ok() ? "ok: " : "UNHEALTHY: ") + s.health().line());
        }
        for (String check : s.reconciliation().checks()) {
            out.println("           " + check);
        }
        if (!s.reconciliation().ok()) {
            out.println("reconcile  NOT OK: " + String.join("; ", s.reconciliation().problems()));
        } else if (s.health() != null && !s.health().ok()) {
            out.println("reconcile  the counts agree, but the pipeline is UNHEALTHY: " + s.health().line());
        } else {
            out.println("reconcile  OK: the counts agree");
        }
    }

    private static String area(StatusReport.Area a) {
        return String.format("%,d files (%.1f MB%s)", a.files(), a.bytes() / 1e6, a.rows() == null ? "" : String.format(", %,d rows", a.rows()));
    }
}
