package dev.eventpipe.warehouse.dialect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The chain of an engine's failure, for the dialects' retriable-or-fatal decision. */
final class Errors {

    private static final int MAX = 32;

    private Errors() {
    }

    /**
     * {@code e}, its causes and the SQLExceptions chained after it ({@link SQLException#getNextException},
     * where drivers put a batch's real error), each once, at most {@value #MAX}.
     */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>(List.of(e));
        while (!todo.isEmpty() && out.size() < MAX) {
            Throwable t = todo.remove(0);
            if (t == null || seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException s) {
                todo.add(s.getNextException());
            }
        }
        return out;
    }
}
