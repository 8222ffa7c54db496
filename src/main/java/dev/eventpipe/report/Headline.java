package dev.eventpipe.report;

import java.time.Duration;
import java.time.Instant;

/**
 * The dashboard's headline numbers.
 *
 * @param eventsTotal        rows in {@code events}
 * @param eventsToday        events whose {@code timestamp} is today (UTC)
 * @param activeDevicesToday distinct {@code anonymous_id} among today's events
 * @param conversionToday    today's funnel conversion in percent, or null when no sign-up started today
 * @param freshnessLag       the report's "now" minus {@code newestArrival}, or null when there is no event
 * @param rowsLoaded         rows the loaded files held (duplicates included)
 * @param filesLoaded        files in the load ledger
 * @param duplicatesSkipped  rows of loaded files skipped because their id was already loaded
 * @param lastLoad           when the latest file was loaded, or null
 * @param newestArrival      when the newest row reached the pipeline by the pipeline's own clocks
 *                           ({@code queued_at}, else {@code consumed_at}, else {@code loaded_at}), or null;
 *                           never a client-sent time
 */
record Headline(long eventsTotal, long eventsToday, long activeDevicesToday, Double conversionToday,
                       Duration freshnessLag, long rowsLoaded, long filesLoaded, long duplicatesSkipped,
                       Instant lastLoad, Instant newestArrival) {
}
