package dev.eventpipe.warehouse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JDBC connection that runs nothing: it records each statement with its bound values and answers
 * from a script, for SQL that only a live cluster (Redshift) could run.
 */
final class FakeJdbc {

    /** One statement as sent: its SQL and its bound values in order. */
    record Sent(String sql, List<Object> values) {
    }

    /** What the engine answers to a statement: an update count, rows, or a failure. */
    @FunctionalInterface
    interface Script {
        Object answer(Sent sent) throws SQLException;
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Script script;

    FakeJdbc(Script script) {
        this.script = script;
    }

    List<Sent> sent() {
        return sent;
    }

    List<String> sql() {
        return sent.stream().map(Sent::sql).toList();
    }

    Connection connection() {
        return proxy(Connection.class, (self, m, args) -> switch (m.getName()) {
            case "createStatement" -> statement(null);
            case "prepareStatement" -> statement((String) args[0]);
            case "getAutoCommit", "isClosed" -> false;
            case "setSavepoint" -> null;
            case "unwrap" -> throw new SQLException("not a real connection");
            default -> null;
        });
    }

    private PreparedStatement statement(String prepared) {
        Map<Integer, Object> values = new TreeMap<>();
        return proxy(PreparedStatement.class, (self, m, args) -> {
            String name = m.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
                values.put(i, args[1]);
                return null;
            }
            return switch (name) {
                case "execute", "executeUpdate", "executeQuery", "executeLargeUpdate" -> {
                    Sent s = new Sent(args != null && args.length > 0 ? (String) args[0] : prepared, List.copyOf(values.values()));
                    sent.add(s);
                    Object answer = script.answer(s);
                    yield switch (name) {
                        case "executeQuery" -> rows(answer instanceof List<?> l ? l : List.of());
                        case "executeUpdate" -> answer instanceof Number n ? n.intValue() : 0;
                        case "executeLargeUpdate" -> answer instanceof Number n ? n.longValue() : 0L;
                        default -> answer instanceof List<?>;
                    };
                }
                default -> null;
            };
        });
    }

    private static ResultSet rows(List<?> rows) {
        int[] at = {-1};
        return proxy(ResultSet.class, (self, m, args) -> switch (m.getName()) {
            case "next" -> ++at[0] < rows.size();
            case "getString" -> String.valueOf(((Object[]) rows.get(at[0]))[(Integer) args[0] - 1]);
            case "getLong" -> ((Number) ((Object[]) rows.get(at[0]))[(Integer) args[0] - 1]).longValue();
            case "getInt" -> ((Number) ((Object[]) rows.get(at[0]))[(Integer) args[0] - 1]).intValue();
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FakeJdbc.class.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> type.getSimpleName() + " (fake)";
                };
            }
            try {
                return handler.invoke(self, m, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
