package dev.eventpipe.serve;

import dev.eventpipe.warehouse.Dialect;

/**
 * Where the dashboard reads from, as the command that starts it chose.
 *
 * @param dialect         the warehouse's engine
 * @param readConnections opens connections for reading only (see {@link ReadOnlyQueries})
 * @param deadLetters     the dead-letter records and queue
 * @param loadSchedule    when loads run
 */
public record DashboardSources(Dialect dialect, Dialect.ConnectionSource readConnections, DeadLetterStatus deadLetters,
                               LoadSchedule loadSchedule) {
}
