package dev.eventpipe.generate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How often the simulator injects each fault, as a share of events:
 * {@code duplicate=0.01,malformed=0.001,late=0.02,oversize=0.0005}.
 *
 * @param duplicate an exact resend of an event already sent (same id)
 * @param malformed a body that is not a valid event, cycling through every rejection reason
 * @param late      a valid event whose timestamp is days old
 * @param oversize  an event larger than {@code [events] max_event_bytes}
 */
public record FaultRates(double duplicate, double malformed, double late, double oversize) {

    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0);

    public FaultRates {
        for (double r : new double[] {duplicate, malformed, late, oversize}) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("each fault rate must be from 0 to 1");
            }
        }
        if (duplicate + malformed + late + oversize > 1) {
            throw new IllegalArgumentException("fault rates add up to more than 1");
        }
    }

    /**
     * Parses {@code kind=rate,...}; kinds not named are 0.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static FaultRates parse(String spec) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + p + "' is not kind=rate");
            }
            String kind = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!kind.matches("duplicate|malformed|late|oversize")) {
                throw new IllegalArgumentException("unknown fault '" + kind + "' (known: duplicate, malformed, late, oversize)");
            }
            double rate;
            try {
                rate = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate of '" + kind + "' is not a number: '" + p.substring(eq + 1).trim() + "'");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate of '" + kind + "' must be from 0 to 1, got " + rate);
            }
            rates.put(kind, rate);
        }
        return new FaultRates(rates.getOrDefault("duplicate", 0.0), rates.getOrDefault("malformed", 0.0),
                rates.getOrDefault("late", 0.0), rates.getOrDefault("oversize", 0.0));
    }

    public boolean any() {
        return duplicate + malformed + late + oversize > 0;
    }

    @Override
    public String toString() {
        return "duplicate=" + duplicate + ",malformed=" + malformed + ",late=" + late + ",oversize=" + oversize;
    }
}
