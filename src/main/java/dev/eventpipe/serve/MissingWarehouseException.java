package dev.eventpipe.serve;

import java.sql.SQLException;

/** The warehouse the dashboard reads does not exist yet (a DuckDB file before {@code init} or the first load). */
public final class MissingWarehouseException extends SQLException {

    public MissingWarehouseException(String message) {
        super(message);
    }
}
