package dev.eventpipe.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a warehouse to {@link Schema#VERSION}, always in one transaction: creates it when empty,
 * migrates an older eventpipe schema, or adopts an {@code events} table eventpipe did not create
 * (the original prototype's). {@link #ensure} (what {@code init} and every command run) does the
 * first two and refuses the third, naming each difference; {@link #migrate} does all three.
 */
final class SchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final int SAMPLE = 5;

    private final Connection c;
    private final Dialect d;
    private final Instant now;

    private SchemaMigrator(Connection c, Dialect d, Instant now) {
        this.c = c;
        this.d = d;
        this.now = now.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Creates or upgrades the schema; returns one line per step.
     *
     * @throws ForeignEventsTableException when {@code events} exists with no version recorded
     */
    static List<String> ensure(Connection c, Dialect d, Instant now) throws SQLException {
        MigrationResult r = new SchemaMigrator(c, d, now).run(new MigrationOptions(false, false), false);
        return List.of(d.name() + " " + switch (r.kind()) {
            case UNCHANGED -> "schema version " + Schema.VERSION + " unchanged";
            case CREATED -> "schema version " + Schema.VERSION + " created";
            case UPGRADED, ADOPTED -> r.line();
        });
    }

    /** Creates, upgrades or adopts; see {@link Warehouse#migrate}. */
    static MigrationResult migrate(Connection c, Dialect d, MigrationOptions options, Instant now) throws SQLException {
        return new SchemaMigrator(c, d, now).run(options, true);
    }

    private MigrationResult run(MigrationOptions options, boolean adopt) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            MigrationResult result = inTransaction(options, adopt);
            if (options.dryRun() || result.kind() == MigrationResult.Kind.UNCHANGED) {
                c.rollback();
            } else {
                c.commit();
                log.info("schema: {}", result.line());
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private MigrationResult inTransaction(MigrationOptions options, boolean adopt) throws SQLException {
        int version = version();
        if (version > Schema.VERSION) {
            throw new WarehouseException("the warehouse schema is version " + version + ", newer than this eventpipe ("
                    + Schema.VERSION + "): upgrade eventpipe", null);
        }
        if (version == Schema.VERSION) {
            return result(MigrationResult.Kind.UNCHANGED, version, -1, 0, List.of(), List.of(), options);
        }
        boolean dry = options.dryRun();
        if (version > 0) {
            List<String> lock = d.lockTable(Schema.EVENTS);
            execute(lock);
            if (version() == Schema.VERSION) {
                // Another process migrated it while this one waited for the lock.
                return result(MigrationResult.Kind.UNCHANGED, Schema.VERSION, -1, 0, List.of(), List.of(), options);
            }
            List<String> steps = new ArrayList<>();
            for (int v = version + 1; v <= Schema.VERSION; v++) {
                steps.addAll(Schema.migration(d, v));
                steps.add(versionRow(v));
            }
            long before = rows();
            if (!dry) {
                execute(steps);
            }
            List<String> sql = new ArrayList<>(lock);
            sql.addAll(steps);
            return result(MigrationResult.Kind.UPGRADED, version, dry ? before : kept(before, before), 0, List.of(), sql, options);
        }
        if (!TableShape.read(c, Schema.EVENTS).exists()) {
            List<String> sql = new ArrayList<>(Schema.create(d));
            sql.add(versionRow(Schema.VERSION));
            if (!dry) {
                execute(sql);
            }
            return result(MigrationResult.Kind.CREATED, 0, 0, 0, List.of(), sql, options);
        }
        if (!adopt) {
            TableShape found = TableShape.read(c, Schema.EVENTS);
            throw new ForeignEventsTableException("the warehouse already holds an events table that eventpipe did not create (no row in "
                    + Schema.VERSION_TABLE + "): nothing was changed; run 'eventpipe migrate' to adopt it",
                    Adoption.differences(d, found), duplicates());
        }
        // Under the lock from here on: nobody adds a row (or a repeated id) between the counts and the changes.
        List<String> lock = d.lockTable(Schema.EVENTS);
        execute(lock);
        if (version() != 0) {
            // Another migrate adopted it while this one waited for the lock.
            return result(MigrationResult.Kind.UNCHANGED, Schema.VERSION, -1, 0, List.of(), List.of(), options);
        }
        TableShape found = TableShape.read(c, Schema.EVENTS);
        List<TableDifference> differences = Adoption.differences(d, found);
        DuplicateIds duplicates = duplicates();
        List<TableDifference> blocking = differences.stream().filter(x -> !x.fixable()).toList();
        if (!blocking.isEmpty()) {
            throw new ForeignEventsTableException("the events table cannot be adopted keeping every value: "
                    + blocking.get(0).line() + (blocking.size() > 1 ? " (and " + (blocking.size() - 1) + " more)" : "")
                    + ": nothing was changed", differences, duplicates);
        }
        if (duplicates.any() && !options.moveDuplicates()) {
            throw new DuplicateIdsException(duplicates);
        }
        long before = rows();
        long expected = before - duplicates.surplusRows();
        List<String> plan = Adoption.statements(d, found, differences, before, duplicates, now);
        List<String> sql = new ArrayList<>(lock);
        sql.addAll(plan);
        if (!dry) {
            execute(plan);
        }
        return result(MigrationResult.Kind.ADOPTED, 0, dry ? expected : kept(before, expected), duplicates.surplusRows(),
                differences, sql, options);
    }

    private MigrationResult result(MigrationResult.Kind kind, int from, long kept, long moved, List<TableDifference> differences,
                                   List<String> sql, MigrationOptions options) {
        return new MigrationResult(kind, from, kept, moved, differences, sql, options.dryRun());
    }

    /** The rows of {@code events} now, checked against what must be there: the migration never loses a row. */
    private long kept(long before, long expected) throws SQLException {
        long after = rows();
        if (after != expected) {
            throw new WarehouseException("the migration would leave " + after + " rows in " + Schema.EVENTS + " where " + expected
                    + " must be (" + before + " before): nothing was changed", null);
        }
        return after;
    }

    private int version() throws SQLException {
        if (!TableShape.read(c, Schema.VERSION_TABLE).exists()) {
            return 0;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM " + Schema.VERSION_TABLE)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private long rows() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Schema.EVENTS)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private DuplicateIds duplicates() throws SQLException {
        String id = d.quote("id");
        String repeated = "SELECT " + id + " AS rid, count(*) AS n FROM " + Schema.EVENTS + " GROUP BY " + id + " HAVING count(*) > 1";
        long ids;
        long surplus;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(n - 1), 0) FROM (" + repeated + ") r")) {
            rs.next();
            ids = rs.getLong(1);
            surplus = rs.getLong(2);
        }
        if (ids == 0) {
            return DuplicateIds.NONE;
        }
        List<String> sample = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rid, n FROM (" + repeated + ") r ORDER BY n DESC, rid LIMIT " + SAMPLE);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sample.add("'" + rs.getString(1) + "' x" + rs.getLong(2));
            }
        }
        return new DuplicateIds(ids, surplus, sample);
    }

    private String versionRow(int v) {
        return "INSERT INTO " + Schema.VERSION_TABLE + " (version, applied_at) VALUES (" + v + ", " + Adoption.fill("loaded_at", now) + ")";
    }

    private void execute(List<String> sql) throws SQLException {
        for (String s : sql) {
            log.debug("schema: {}", s);
            try (Statement st = c.createStatement()) {
                st.execute(s);
            }
        }
    }
}
