package dev.eventpipe.warehouse;

import java.util.List;

/**
 * Ids held by more than one row of a table eventpipe is to adopt.
 *
 * @param ids         how many ids appear more than once
 * @param surplusRows the rows beyond the first of each such id
 * @param sample      a few of them, most repeated first: {@code 'A1B2...' x3}
 */
public record DuplicateIds(long ids, long surplusRows, List<String> sample) {

    public static final DuplicateIds NONE = new DuplicateIds(0, 0, List.of());

    public DuplicateIds {
        sample = List.copyOf(sample);
    }

    public boolean any() {
        return ids > 0;
    }

    /** One line for people. */
    public String line() {
        return String.format("%,d %s more than once (%,d %s beyond the first), e.g. %s", ids, ids == 1 ? "id appears" : "ids appear",
                surplusRows, surplusRows == 1 ? "row" : "rows", String.join(", ", sample));
    }
}
