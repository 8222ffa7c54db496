package dev.eventpipe.warehouse;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A real connection whose statements fail once their SQL contains a given text: a failure midway through a migration. */
final class FailingConnection {

    private FailingConnection() {
    }

    static Connection wrap(Connection real, String failOn) {
        return (Connection) Proxy.newProxyInstance(FailingConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (self, m, args) -> {
                    Object result = invoke(real, m, args);
                    if (m.getName().equals("createStatement") && result instanceof Statement st) {
                        return statement(st, failOn);
                    }
                    if (m.getName().equals("prepareStatement") && String.valueOf(args[0]).contains(failOn)) {
                        throw new SQLException("injected failure at: " + args[0]);
                    }
                    return result;
                });
    }

    private static Statement statement(Statement real, String failOn) {
        return (Statement) Proxy.newProxyInstance(FailingConnection.class.getClassLoader(), new Class<?>[] {Statement.class},
                (self, m, args) -> {
                    if (m.getName().startsWith("execute") && args != null && args.length > 0 && String.valueOf(args[0]).contains(failOn)) {
                        throw new SQLException("injected failure at: " + args[0]);
                    }
                    return invoke(real, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
