package dev.eventpipe.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.eventpipe.http.Responses;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/}, to {@code GET} and {@code HEAD} (see README, "The interactive
 * dashboard"). Each endpoint takes only its own parameters; {@code format=csv} answers the same
 * data as a CSV download. Errors are JSON, {@code {"status": 400, "error": "from = '...': ..."}}.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    static final String PREFIX = "/api/";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final Set<String> RANGE = Set.of(QueryParams.FROM, QueryParams.TO, QueryParams.FORMAT);

    private final DashboardApi api;
    private final DeadLetterStatus deadLetters;
    private final PageConfig page;

    ApiHandler(DashboardApi api, DeadLetterStatus deadLetters, PageConfig page) {
        this.api = api;
        this.deadLetters = deadLetters;
        this.page = page;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        try {
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Responses.error(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed",
                        Map.of("method", request.getMethod()));
                return true;
            }
            QueryParams params = params(request);
            Object answer = answer(path.substring(PREFIX.length()), params);
            if (answer instanceof Answers.Table table && params.csv()) {
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + table.csvName() + ".csv\"");
                Responses.send(request, response, callback, HttpStatus.OK_200, "text/csv; charset=utf-8", CsvTable.bytes(table));
            } else {
                Responses.send(request, response, callback, HttpStatus.OK_200, Responses.JSON, json(answer));
            }
        } catch (ApiException e) {
            Responses.error(request, response, callback, e.status(), e.getMessage(), Map.of("path", path));
        } catch (RuntimeException e) {
            log.warn("serve: {} failed: {}", path, e.toString(), e);
            Responses.error(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                    "the dashboard failed to answer; the server's log says why", Map.of("path", path));
        }
        return true;
    }

    private Object answer(String endpoint, QueryParams p) {
        int maxEvents = api.limits().maxEvents();
        return switch (endpoint) {
            case "config" -> page.toMap(api.limits());
            case "events" -> {
                p.allowOnly(with(RANGE, QueryParams.PLATFORM));
                yield api.events(p.range(Granularity.DAY), p.platform());
            }
            case "platforms" -> {
                p.allowOnly(RANGE);
                yield api.platforms(p.range(Granularity.DAY));
            }
            case "counts" -> {
                p.allowOnly(with(RANGE, QueryParams.GRANULARITY, QueryParams.EVENT, QueryParams.PLATFORM));
                Granularity g = p.granularity(Granularity.DAY);
                yield api.counts(p.range(g), g, p.events(maxEvents), p.platform());
            }
            case "active" -> {
                p.allowOnly(with(RANGE, QueryParams.PLATFORM));
                yield api.active(p.range(Granularity.DAY), p.platform());
            }
            case "funnel" -> {
                p.allowOnly(with(RANGE, QueryParams.STEP, QueryParams.WINDOW, QueryParams.PLATFORM));
                yield api.funnel(p.range(Granularity.DAY), p.steps(api.limits().maxSteps()), p.windowSeconds(), p.platform());
            }
            case "freshness" -> {
                p.allowOnly(Set.of(QueryParams.FORMAT));
                yield api.freshness();
            }
            case "loads" -> {
                p.allowOnly(with(RANGE, QueryParams.GRANULARITY));
                Granularity g = p.granularity(Granularity.HOUR);
                yield api.loads(p.range(g), g);
            }
            case "dead-letters" -> {
                p.allowOnly(Set.of(QueryParams.FORMAT));
                yield deadLetters.read();
            }
            default -> throw ApiException.notFound("no endpoint /api/" + QueryParams.shown(endpoint)
                    + "; there are config, events, platforms, counts, active, funnel, freshness, loads and dead-letters");
        };
    }

    private QueryParams params(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the query string is not valid URL encoding of UTF-8 text");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            values.put(f.getName(), new ArrayList<>(f.getValues()));
        }
        LocalDate today = LocalDate.ofInstant(api.clock().instant(), ZoneOffset.UTC);
        return new QueryParams(values, today, page.days());
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return all;
    }

    static byte[] json(Object answer) {
        try {
            return JSON.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON: " + e.getMessage(), e);
        }
    }
}
