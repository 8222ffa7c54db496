package dev.eventpipe.warehouse.dialect;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens connections to DuckDB files so that threads of one process never race DuckDB's one database
 * instance per file. Its JDBC driver shares an instance among a file's open connections and ends it
 * with the last one; a thread that opens while another closes that last connection starts a second
 * instance before the first has let go of the file, and fails with {@code Unique file handle
 * conflict} (12 of 600 parallel open-query-close cycles on 6 threads, 2026-11-25). Opening and closing
 * under one lock per file rules that out; queries still run in parallel.
 */
public final class DuckDbFiles {

    private static final ConcurrentHashMap<Path, ReentrantLock> GATES = new ConcurrentHashMap<>();

    private DuckDbFiles() {
    }

    /** A connection to {@code file} with {@code properties} ({@code duckdb.read_only}, ...); closing it takes the same lock. */
    public static Connection open(Path file, Properties properties) throws SQLException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock gate = GATES.computeIfAbsent(key, k -> new ReentrantLock());
        Connection c;
        gate.lock();
        try {
            c = DriverManager.getConnection("jdbc:duckdb:" + key, properties);
        } finally {
            gate.unlock();
        }
        return gated(c, gate);
    }

    private static Connection gated(Connection c, ReentrantLock gate) {
        InvocationHandler h = (proxy, method, args) -> {
            boolean close = method.getName().equals("close") && method.getParameterCount() == 0;
            if (close) {
                gate.lock();
            }
            try {
                return method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (close) {
                    gate.unlock();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(DuckDbFiles.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
