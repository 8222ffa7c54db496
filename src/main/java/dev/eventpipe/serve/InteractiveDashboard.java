package dev.eventpipe.serve;

import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.http.HttpServerLimits;
import dev.eventpipe.http.JettyServer;
import dev.eventpipe.report.DashboardHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive dashboard: the page and its assets ({@link PageHandler}), the JSON API
 * ({@link ApiHandler}) and, when a folder is given, the static report under {@code /report/}. It
 * listens on {@code [report] bind} (127.0.0.1 by default); on any other address every path but
 * {@code /health} asks for one of {@code [report] users} (basic auth), and without users it does not start.
 */
public final class InteractiveDashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InteractiveDashboard.class);

    /**
     * A page keeps its connection for its next refresh; a client that sends part of a request and
     * stops is dropped after the idle timeout without holding a thread. A query holds a thread for
     * at most the API's timeout.
     */
    static final HttpServerLimits LIMITS = new HttpServerLimits(Duration.ofSeconds(30), 16, 256, 8 * 1024);

    private final JettyServer server;
    private final ReadOnlyQueries queries;

    private InteractiveDashboard(JettyServer server, ReadOnlyQueries queries) {
        this.server = server;
        this.queries = queries;
    }

    /**
     * Serves the dashboard on {@code [report] bind}:{@code port}.
     *
     * @param staticReport the folder {@code eventpipe report} writes, served under {@code /report/}; null for none
     * @param anyPortIfTaken when {@code port} is taken, serve on a free one (the URL says which) instead of failing
     * @throws IllegalArgumentException when {@code bind} is not a loopback address and there are no users
     * @throws IOException when the address cannot be bound
     */
    public static InteractiveDashboard start(ReportSettings report, int port, DashboardSources sources, PageConfig page,
                                             ApiLimits limits, Clock clock, Path staticReport, boolean anyPortIfTaken)
            throws IOException {
        if (!report.loopbackOnly() && report.users().isEmpty()) {
            throw new IllegalArgumentException("[report] bind = '" + report.bind() + "' opens the dashboard to the network "
                    + "and [report] users is empty: refusing to serve it without passwords");
        }
        ReadOnlyQueries queries = new ReadOnlyQueries(sources.dialect(), sources.readConnections(), limits);
        DashboardApi api = new DashboardApi(queries, sources.loadSchedule(), clock, page.warehouse());
        try {
            JettyServer server;
            try {
                server = JettyServer.start("serve", report.bind(), port, LIMITS,
                        handlers(report, api, sources.deadLetters(), page, staticReport));
            } catch (IOException e) {
                if (!anyPortIfTaken || !JettyServer.isAddressInUse(e)) {
                    throw e;
                }
                // New handlers: a Jetty handler belongs to one server.
                server = JettyServer.start("serve", report.bind(), 0, LIMITS, handlers(report, api, sources.deadLetters(), page, staticReport));
                log.warn("serve: port {} ([report] port) is taken; serving on port {} instead", port, server.port());
            }
            log.info("serve: dashboard on '{}' ({}; {})", server.url(), page.warehouse(),
                    report.loopbackOnly() ? "this machine only" : "basic auth for " + report.users().size() + " users");
            return new InteractiveDashboard(server, queries);
        } catch (IOException | RuntimeException e) {
            queries.close();
            throw e;
        }
    }

    private static Handler handlers(ReportSettings report, DashboardApi api, DeadLetterStatus deadLetters, PageConfig page,
                                    Path staticReport) {
        List<Handler> parts = new ArrayList<>();
        parts.add(new PageHandler());
        parts.add(new ApiHandler(api, deadLetters, page));
        if (staticReport != null) {
            parts.add(new ContextHandler(new DashboardHandler(staticReport.toAbsolutePath().normalize()), "/report"));
        }
        Handler all = new Handler.Sequence(parts);
        if (report.loopbackOnly() && report.users().isEmpty()) {
            return all;
        }
        SecurityHandler.PathMapped security = new SecurityHandler.PathMapped();
        security.put("/*", Constraint.ANY_USER);
        security.put("/health", Constraint.ALLOWED);
        BasicAuthenticator basic = new BasicAuthenticator();
        // Tells browsers to send a non-ASCII name or password as UTF-8, which the bcrypt hashes were made from.
        basic.setCharset(StandardCharsets.UTF_8);
        security.setAuthenticator(basic);
        security.setLoginService(new BcryptLoginService(report.users()));
        security.setRealmName(BcryptLoginService.REALM);
        security.setHandler(all);
        return security;
    }

    /** {@code http://host:port/}. */
    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        queries.close();
    }
}
