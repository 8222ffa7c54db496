package dev.eventpipe.cli;

import java.io.PrintWriter;

/** The rows of a benchmark table: a figure, its value, and where there is one, its target and verdict. */
final class FigureTable {

    private static final String ROW = "%-76s %14s %12s%s%n";

    private FigureTable() {
    }

    static void header(PrintWriter out) {
        out.printf(ROW, "figure", "value", "target", "");
    }

    /** A measured figure with no target of its own, such as a raw limit or a rate. */
    static void figure(PrintWriter out, String label, String value) {
        out.printf(ROW, label, value, "", "");
    }

    /** A rate or size, rounded to a whole number with thousands separators. */
    static void figure(PrintWriter out, String label, double value) {
        figure(out, label, String.format("%,.0f", value));
    }

    /** A figure held against its target: {@code ok} when {@code met}, else {@code miss}. */
    static void checked(PrintWriter out, String label, String value, String target, boolean met, String miss) {
        out.printf(ROW, label, value, target, "  " + (met ? "ok" : miss));
    }

    /** A ratio of eventpipe to the raw limit, held against a minimum. */
    static void ratio(PrintWriter out, String label, double ratio, double minimum) {
        checked(out, label, String.format("%.2f", ratio), ">= " + minimum, ratio >= minimum, "BELOW");
    }
}
