package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.AwsSettings;
import dev.eventpipe.config.DfsSettings;
import dev.eventpipe.config.Secrets;
import dev.eventpipe.config.Settings;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.config.RedshiftSettings;
import dev.eventpipe.config.WarehouseSettings;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.dialect.DuckDbFiles;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import dev.eventpipe.warehouse.dialect.RedshiftDialect;
import dev.eventpipe.warehouse.dialect.WarmDuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Properties;

/** Builds the adapters the settings choose; the only place outside {@code run} that knows them. */
final class Adapters {

    private Adapters() {
    }

    /**
     * The queue of {@code [aws]}.
     *
     * @param threads how many threads will call it at once (sizes the connection pool)
     * @throws CommandException when the embedded endpoint is chosen and no server listens on its port
     */
    static EventBus eventBus(Settings settings, int threads) {
        AwsSettings aws = settings.aws();
        if (aws.endpoint().kind() == AwsSettings.QueueKind.EMBEDDED && !EmbeddedQueueServer.isListening(aws.embeddedPort())) {
            throw CommandException.failure("no queue server listens on 127.0.0.1:" + aws.embeddedPort()
                    + " ([aws] endpoint = embedded): start one with 'eventpipe queue-server', or use 'eventpipe run'");
        }
        return new SqsEventBus(SqsClients.create(aws, threads + 2), aws);
    }

    /** The file store of {@code [dfs]}: a local folder or an S3 bucket. */
    static ObjectStore objectStore(Settings settings, int threads) {
        DfsSettings dfs = settings.dfs();
        return switch (dfs.type()) {
            case LOCAL -> new LocalObjectStore(dfs.path());
            case S3 -> new S3ObjectStore(S3Clients.create(settings.aws(), threads + 2), settings.aws().s3Bucket(), dfs.prefix());
        };
    }

    /** The warehouse of {@code [warehouse]} (and {@code [redshift]}). */
    static Warehouse warehouse(Settings settings) {
        WarehouseSettings w = settings.warehouse();
        String driver = switch (w.type()) {
            case DUCKDB -> "org.duckdb.DuckDBDriver";
            case POSTGRES -> "org.postgresql.Driver";
            case REDSHIFT -> "com.amazon.redshift.jdbc.Driver";
        };
        try {
            Class.forName(driver);
        } catch (ClassNotFoundException e) {
            throw CommandException.failure("the " + w.type().name().toLowerCase(java.util.Locale.ROOT) + " warehouse needs its JDBC"
                    + " driver, which this jar does not hold: run this command with the all-in-one eventpipe.jar (bin/eventpipe);"
                    + " eventpipe-consumer.jar holds consume, generate and dlq");
        }
        return switch (w.type()) {
            case DUCKDB -> duckDb(w.path());
            case POSTGRES -> {
                Properties props = postgresProperties(w);
                yield new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(w.url(), props),
                        "postgres " + Secrets.maskUrl(w.url()));
            }
            case REDSHIFT -> {
                RedshiftSettings r = settings.redshift();
                String url = redshiftUrl(r);
                Properties props = redshiftProperties(r);
                yield new JdbcWarehouse(new RedshiftDialect(r.arnCredentials()), () -> DriverManager.getConnection(url, props),
                        "redshift " + url);
            }
        };
    }

    private static Properties postgresProperties(WarehouseSettings w) {
        Properties props = new Properties();
        if (!w.user().isEmpty()) {
            props.setProperty("user", w.user());
        }
        if (!w.password().isEmpty()) {
            props.setProperty("password", w.password());
        }
        props.setProperty("ApplicationName", "eventpipe");
        return props;
    }

    private static String redshiftUrl(RedshiftSettings r) {
        return "jdbc:redshift://" + r.host() + ":" + r.port() + "/" + r.database();
    }

    private static Properties redshiftProperties(RedshiftSettings r) {
        Properties props = new Properties();
        props.setProperty("user", r.user());
        props.setProperty("password", r.password());
        return props;
    }

    /**
     * Connections of {@code [warehouse]} for the dashboard, which only reads: PostgreSQL and Redshift
     * sessions set read-only; a DuckDB file opened read-only, unless {@code sameProcessWrites} (in
     * {@code run} the loader writes the same file from this process, and DuckDB gives one process one
     * configuration per file: the dashboard then relies on its transactions being rolled back).
     */
    static ReadOnlySource readOnly(Settings settings, boolean sameProcessWrites) {
        WarehouseSettings w = settings.warehouse();
        return switch (w.type()) {
            case DUCKDB -> readOnlyDuckDb(w.path(), sameProcessWrites);
            case POSTGRES -> {
                Properties props = postgresProperties(w);
                yield new ReadOnlySource(new PostgresDialect(), () -> readOnly(DriverManager.getConnection(w.url(), props)),
                        "postgres " + Secrets.maskUrl(w.url()));
            }
            case REDSHIFT -> {
                RedshiftSettings r = settings.redshift();
                String url = redshiftUrl(r);
                Properties props = redshiftProperties(r);
                yield new ReadOnlySource(new RedshiftDialect(r.arnCredentials()),
                        () -> readOnly(DriverManager.getConnection(url, props)), "redshift " + url);
            }
        };
    }

    /** A DuckDB file read as {@link #readOnly(Settings, boolean)} reads it. */
    static ReadOnlySource readOnlyDuckDb(Path path, boolean sameProcessWrites) {
        Path file = path.toAbsolutePath().normalize();
        Properties props = new Properties();
        if (!sameProcessWrites) {
            props.setProperty("duckdb.read_only", "true");
        }
        return new ReadOnlySource(new DuckDbDialect(file), new ExistingDuckDb(file, new WarmDuckDb(file, props, DUCKDB_LINGER)),
                "duckdb " + file);
    }

    /**
     * How long the dashboard keeps a DuckDB instance open after its last query: a page's burst of calls
     * then finds it warm, and a loader in another process waits at most this long for the file.
     */
    static final java.time.Duration DUCKDB_LINGER = java.time.Duration.ofSeconds(3);

    /** Connections to a DuckDB file that must exist already (reading never creates it). */
    private record ExistingDuckDb(Path file, WarmDuckDb warm) implements dev.eventpipe.warehouse.Dialect.ConnectionSource, AutoCloseable {
        @Override
        public java.sql.Connection open() throws java.sql.SQLException {
            if (!Files.exists(file)) {
                throw new dev.eventpipe.serve.MissingWarehouseException("no DuckDB warehouse at '" + file
                        + "' yet: 'eventpipe init' or the first load creates it");
            }
            return warm.open();
        }

        @Override
        public void close() {
            warm.close();
        }
    }

    private static java.sql.Connection readOnly(java.sql.Connection c) throws java.sql.SQLException {
        try {
            c.setReadOnly(true);
            return c;
        } catch (java.sql.SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A warehouse's engine and where its read-only connections come from. */
    record ReadOnlySource(dev.eventpipe.warehouse.Dialect dialect, dev.eventpipe.warehouse.Dialect.ConnectionSource connections,
                          String description) {
    }

    /** A DuckDB file warehouse; its folder is created on first use. */
    static Warehouse duckDb(Path path) {
        Path file = path.toAbsolutePath().normalize();
        return new JdbcWarehouse(new DuckDbDialect(file), () -> {
            try {
                Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw new java.sql.SQLException("cannot create the folder of '" + file + "': " + e.getMessage(), e);
            }
            return DuckDbFiles.open(file, new Properties());
        }, "duckdb " + file);
    }
}
