package dev.eventpipe.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sign-up funnel per UTC day: how many {@code from} events ({@code registration_initiated}) and
 * {@code to} events ({@code submission_success}) happened that day. The conversion of a day is
 * {@code to / from} in percent; it is not capped at 100 (a sign-up finished after midnight counts
 * on its own day) and it is undefined on a day with no {@code from} event.
 *
 * @param days      the days, oldest first
 * @param started   {@code from} events per day
 * @param completed {@code to} events per day
 */
record DailyConversion(List<LocalDate> days, List<Long> started, List<Long> completed) {

    public DailyConversion {
        days = List.copyOf(days);
        started = List.copyOf(started);
        completed = List.copyOf(completed);
        if (started.size() != days.size() || completed.size() != days.size()) {
            throw new IllegalArgumentException("one count per day expected");
        }
    }

    /** The conversion of the {@code i}-th day in percent, or empty when nothing started that day. */
    public Optional<Double> percent(int i) {
        long s = started.get(i);
        return s == 0 ? Optional.empty() : Optional.of(100.0 * completed.get(i) / s);
    }

    /** The conversion of {@code day} in percent, or empty when nothing started that day or it is not charted. */
    public Optional<Double> percent(LocalDate day) {
        int i = days.indexOf(day);
        return i < 0 ? Optional.empty() : percent(i);
    }

    /** Every day's conversion in percent, 0 for a day with nothing started (a chart needs a number). */
    public List<Double> percentOrZero() {
        List<Double> out = new ArrayList<>(days.size());
        for (int i = 0; i < days.size(); i++) {
            out.add(percent(i).orElse(0.0));
        }
        return out;
    }
}
