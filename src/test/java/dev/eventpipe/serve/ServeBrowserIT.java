package dev.eventpipe.serve;

import static dev.eventpipe.serve.ServeFixture.MARKUP;
import static dev.eventpipe.serve.ServeFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.event.Event;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.Browser;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.dialect.DuckDbFiles;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard page in headless Chromium, used as a person uses it (clicks, typing, picking from
 * lists; never editing the URL), against a DuckDB warehouse holding {@link ServeFixture}'s events:
 * what each chart draws, read back from the page, equals the API's numbers. Screenshots of each
 * view go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeBrowserIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SHOTS = Path.of("target", "screenshots");
    static final List<String> CARDS = List.of("counts", "active", "funnel", "events", "loads", "dead");

    Path dir;
    Path file;
    Warehouse warehouse;
    ObjectStore store;
    List<Event> events;
    InteractiveDashboard dashboard;
    ChromeDriver driver;
    final List<String> consoleErrors = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void loadAndServe(@TempDir Path dir) throws Exception {
        Prerequisite.browser();
        this.dir = dir;
        file = dir.resolve("w.duckdb");
        // As in 'run': the loader writes the same DuckDB file from this process while the page reads it.
        warehouse = new JdbcWarehouse(new DuckDbDialect(file), () -> DuckDbFiles.open(file, new Properties()), "duckdb");
        store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
        warehouse.ensureSchema();
        events = new ArrayList<>(ServeFixture.dataset(5));
        ServeFixture.load(warehouse, store, events, events.size() / 2);
        ServeFixture.deadLetters(store);
        dashboard = serve(file, Duration.ofSeconds(1));
        Files.createDirectories(SHOTS);
        driver = Browser.open(1280, 800);
    }

    InteractiveDashboard serve(Path warehouseFile, Duration refresh) throws Exception {
        DashboardSources sources = new DashboardSources(new DuckDbDialect(warehouseFile),
                () -> DuckDbFiles.open(warehouseFile, new Properties()),
                new DeadLetterStatus(store, () -> {
                    throw new IllegalStateException("no queue server listens on 127.0.0.1:9324");
                }, "eventpipe-events-dlq", Clock.systemUTC()), ServeFixture.SCHEDULE);
        PageConfig page = new PageConfig(List.of("registration_initiated", "submission_success"), 14, refresh, false, "duckdb");
        return InteractiveDashboard.start(new ReportSettings(null, 8080, 14, 900, 450), EmbeddedQueueServer.freePort(), sources, page,
                ApiLimits.DEFAULT, new MutableClock(NOW), null, false);
    }

    @BeforeEach
    void desktop() {
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @AfterEach
    void noConsoleErrors() {
        consoleErrors.addAll(Browser.consoleErrors(driver));
        List<String> seen = List.copyOf(consoleErrors);
        consoleErrors.clear();
        assertThat(seen).as("errors in the browser's console").isEmpty();
    }

    @AfterAll
    void close() {
        if (driver != null) {
            driver.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
    }

    // ---------- reading the page ----------

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    int drawn(String card) {
        Object n = js("return Number(document.getElementById('card-' + arguments[0]).dataset.drawn || 0)", card);
        return ((Number) n).intValue();
    }

    void open(String pathAndQuery) {
        driver.get(dashboard.url().resolve(pathAndQuery).toString());
        for (String card : CARDS) {
            Await.until(Duration.ofSeconds(30), () -> drawn(card) > 0, "the " + card + " chart drawn");
        }
    }

    /** Whether no chart is waiting for an answer. */
    boolean idle() {
        return ((Number) js("return document.querySelectorAll('.chart[data-state=\"loading\"]').length")).intValue() == 0;
    }

    /**
     * Once no chart is loading, runs {@code action}, then waits until {@code card} is drawn again and no
     * chart is loading. (The page draws the seed's chart before the others: a drawing still under way from
     * the last change would otherwise count as this one's.)
     */
    void andWait(String card, Runnable action) {
        Await.until(Duration.ofSeconds(30), this::idle, "every chart drawn before the next change");
        int before = drawn(card);
        action.run();
        Await.until(Duration.ofSeconds(30), () -> drawn(card) > before && idle(), "the " + card + " chart drawn again");
    }

    /** What a chart draws, as ECharts holds it: its state, x axis and each series' name and values. */
    @SuppressWarnings("unchecked")
    Map<String, Object> chart(String card) {
        return (Map<String, Object>) js("const el = document.querySelector('#card-' + arguments[0] + ' .chart');"
                + "const c = echarts.getInstanceByDom(el); const o = c ? c.getOption() : null;"
                + "return {state: el.dataset.state, message: el.parentElement.querySelector('.message').textContent,"
                + " x: o && o.xAxis ? o.xAxis[0].data : null, y: o && o.yAxis ? o.yAxis[0].data : null,"
                + " series: o && o.series ? o.series.map(s => ({name: s.name, data: s.data})) : []}", card);
    }

    /** A chart's series as name -> values. */
    @SuppressWarnings("unchecked")
    static Map<String, List<Long>> series(Map<String, Object> chart) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) chart.get("series")) {
            out.put((String) s.get("name"), ((List<Object>) s.get("data")).stream().map(v -> ((Number) v).longValue()).toList());
        }
        return out;
    }

    /** The API's counts as the chart names them: "event · platform" -> values. */
    static Map<String, List<Long>> series(JsonNode counts) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (JsonNode s : counts.path("series")) {
            List<Long> values = new ArrayList<>();
            s.path("counts").forEach(n -> values.add(n.asLong()));
            out.put(s.path("event").asText() + " · " + s.path("platform").asText(), values);
        }
        return out;
    }

    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(dashboard.url().resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The API's answer for what the page's own URL says it shows. */
    JsonNode apiForPage(String endpoint, String... keep) throws Exception {
        Map<String, List<String>> page = new LinkedHashMap<>();
        String query = URI.create(driver.getCurrentUrl()).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            page.computeIfAbsent(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        StringBuilder q = new StringBuilder();
        for (String k : keep) {
            for (String v : page.getOrDefault(k, List.of())) {
                q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        // The page's relative range ("days") is the API's from/to; the API's default range is the page's default.
        String days = page.containsKey("days") ? page.get("days").get(0) : null;
        if (days != null && !page.containsKey("from")) {
            String from = ServeFixture.TODAY.minusDays(Long.parseLong(days) - 1).toString();
            q.append(q.length() == 0 ? "" : "&").append("from=").append(from).append("&to=").append(ServeFixture.TODAY);
        }
        return api("/api/" + endpoint + "?" + q);
    }

    void shot(String name) throws Exception {
        Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve("serve-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    void shotOf(String card, String name) throws Exception {
        WebElement el = driver.findElement(By.id("card-" + card));
        js("arguments[0].scrollIntoView()", el);
        Path png = el.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve("serve-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Opens a list and picks the option showing {@code text}, as a person clicks it. */
    void choose(String selectId, String text) {
        WebElement select = driver.findElement(By.id(selectId));
        select.click();
        for (WebElement option : select.findElements(By.tagName("option"))) {
            if (text.equals(option.getText())) {
                option.click();
                return;
            }
        }
        throw new AssertionError("no option '" + text + "' in #" + selectId);
    }

    WebElement eventBox(String name) {
        for (WebElement box : driver.findElements(By.cssSelector("#event-list input[type=checkbox]"))) {
            if (name.equals(box.getAttribute("value"))) {
                return box;
            }
        }
        throw new AssertionError("no checkbox for event '" + name + "'");
    }

    // ---------- the tests ----------

    @Test
    @Order(1)
    void theSeedsChartComesFirstAndDrawsTheApisNumbers() throws Exception {
        open("/");
        assertThat(driver.getTitle()).isEqualTo("eventpipe dashboard");
        List<WebElement> cards = driver.findElements(By.cssSelector("main > section.card"));
        assertThat(cards.get(0).getAttribute("id")).isEqualTo("card-counts");
        assertThat(driver.findElement(By.id("h-counts")).getText()).isEqualTo("Events per day by platform");
        Map<String, Object> counts = chart("counts");
        assertThat(counts.get("state")).isEqualTo("ready");
        JsonNode api = api("/api/counts?event=registration_initiated&event=submission_success");
        assertThat(series(counts)).isEqualTo(series(api)).containsKey("registration_initiated · android");
        assertThat(counts.get("x")).asList().hasSize(14).first().isEqualTo("2026-11-11");
        for (String card : CARDS) {
            assertThat(chart(card).get("state")).as(card).isEqualTo("ready");
        }
        assertThat(driver.findElement(By.id("status")).getText()).contains("Newest event arrived").contains("duckdb");
        shot("default-1280x800");
        shotOf("counts", "counts-default");
    }

    @Test
    @Order(2)
    void changingRangeEventPlatformAndGranularityThroughTheControlsDrawsTheApisNumbers() throws Exception {
        open("/");
        // A quick range: one click.
        andWait("counts", () -> driver.findElement(By.cssSelector(".quick button[data-days='7']")).click());
        assertThat(driver.getCurrentUrl()).contains("days=7");
        assertThat(series(chart("counts"))).isEqualTo(series(apiForPage("counts", "event", "platform", "granularity")));
        assertThat(chart("counts").get("x")).asList().hasSize(7).first().isEqualTo("2026-11-18");

        // A range typed into the From field, as a person types a date.
        WebElement from = driver.findElement(By.id("from"));
        andWait("counts", () -> {
            from.sendKeys("11152026");
            from.sendKeys(Keys.TAB);
        });
        Await.until(Duration.ofSeconds(10), () -> driver.getCurrentUrl().contains("from=2026-11-15"), "the typed date in the URL");
        Await.until(Duration.ofSeconds(10), () -> ((List<?>) chart("counts").get("x")).size() == 10, "10 days drawn");
        assertThat(series(chart("counts"))).isEqualTo(series(api("/api/counts?from=2026-11-15&to=2026-11-24"
                + "&event=registration_initiated&event=submission_success")));

        // Another event ticked, one unticked.
        andWait("counts", () -> eventBox("app_open").click());
        andWait("counts", () -> eventBox("submission_success").click());
        assertThat(series(chart("counts"))).isEqualTo(series(api("/api/counts?from=2026-11-15&to=2026-11-24"
                + "&event=registration_initiated&event=app_open"))).containsKey("app_open · web")
                .doesNotContainKey("submission_success · ios");

        // One platform, picked from its list.
        andWait("counts", () -> choose("platform", "ios"));
        Map<String, List<Long>> ios = series(chart("counts"));
        assertThat(ios).isEqualTo(series(api("/api/counts?from=2026-11-15&to=2026-11-24&event=registration_initiated"
                + "&event=app_open&platform=ios"))).containsOnlyKeys("registration_initiated · ios", "app_open · ios");

        // Weeks.
        andWait("counts", () -> choose("granularity", "Week"));
        assertThat(driver.findElement(By.id("h-counts")).getText()).isEqualTo("Events per week by platform");
        assertThat(series(chart("counts"))).isEqualTo(series(api("/api/counts?from=2026-11-15&to=2026-11-24&event=registration_initiated"
                + "&event=app_open&platform=ios&granularity=week")));
        assertThat(chart("counts").get("x")).asList().containsExactly("2026-11-09", "2026-11-16", "2026-11-23");

        // The other charts follow the range and platform too.
        assertThat(series(chart("events")).get("events")).isEqualTo(namesCounts(api("/api/events?from=2026-11-15&to=2026-11-24&platform=ios")));
        assertThat(series(chart("active")).get("DAU (per day)")).isEqualTo(
                values(api("/api/active?from=2026-11-15&to=2026-11-24&platform=ios").path("dau").path("devices")));
        shot("changed-range-events-platform-week");
        shotOf("counts", "counts-ios-week");
    }

    static List<Long> values(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    static List<Long> namesCounts(JsonNode names) {
        List<Long> out = new ArrayList<>();
        names.path("names").forEach(n -> out.add(n.path("count").asLong()));
        return out.subList(0, Math.min(15, out.size()));
    }

    @Test
    @Order(3)
    void aThreeStepFunnelShowsTheExpectedConversion() throws Exception {
        open("/?days=14");
        andWait("funnel", () -> choose("step-1", "app_open"));
        andWait("funnel", () -> choose("step-2", "registration_initiated"));
        andWait("funnel", () -> choose("step-3", "submission_success"));
        andWait("funnel", () -> choose("window", "7 days"));
        List<String> steps = List.of("app_open", "registration_initiated", "submission_success");
        long[] truth = ServeFixture.funnel(events, steps, ServeFixture.startOf(ServeFixture.TODAY.minusDays(13)),
                ServeFixture.startOf(ServeFixture.TODAY.plusDays(1)), 7 * 86_400);
        Map<String, Object> funnel = chart("funnel");
        assertThat(funnel.get("y")).asList().containsExactly("1. app_open", "2. registration_initiated", "3. submission_success");
        assertThat(series(funnel).get("devices")).containsExactly(truth[0], truth[1], truth[2]);
        assertThat(truth[2]).isPositive().isLessThan(truth[0]);
        JsonNode api = apiForPage("funnel", "step", "window", "platform");
        assertThat(series(funnel).get("devices")).isEqualTo(List.of(api.path("steps").get(0).path("devices").asLong(),
                api.path("steps").get(1).path("devices").asLong(), api.path("steps").get(2).path("devices").asLong()));
        // The conversion as the bars' labels say it.
        String labels = (String) js("const c = echarts.getInstanceByDom(document.querySelector('#card-funnel .chart'));"
                + "const s = c.getOption().series[0]; return [0,1,2].map(i => s.label.formatter({dataIndex: i})).join(' | ')");
        assertThat(labels).endsWith(String.format(java.util.Locale.ROOT, "(%.1f%%)", 100.0 * truth[2] / truth[0]));
        assertThat(driver.getCurrentUrl()).contains("step=app_open&step=registration_initiated&step=submission_success")
                .contains("window=604800");
        shotOf("funnel", "funnel-three-steps");
    }

    @Test
    @Order(4)
    void theUrlReproducesTheViewInANewTab() throws Exception {
        open("/");
        andWait("counts", () -> driver.findElement(By.cssSelector(".quick button[data-days='30']")).click());
        andWait("counts", () -> eventBox("app_open").click());
        andWait("counts", () -> choose("platform", "web"));
        andWait("funnel", () -> choose("step-3", "purchase_completed"));
        Map<String, Object> counts = chart("counts");
        Map<String, Object> funnel = chart("funnel");
        String url = driver.getCurrentUrl();
        String first = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        try {
            driver.get(url);
            for (String card : CARDS) {
                Await.until(Duration.ofSeconds(30), () -> drawn(card) > 0, "the " + card + " chart drawn in the new tab");
            }
            assertThat(chart("counts")).isEqualTo(counts);
            assertThat(chart("funnel")).isEqualTo(funnel);
            assertThat(driver.findElement(By.id("platform")).getAttribute("value")).isEqualTo("web");
            assertThat(eventBox("app_open").isSelected()).isTrue();
            assertThat(driver.findElement(By.cssSelector(".quick button[data-days='30']")).getAttribute("aria-pressed")).isEqualTo("true");
            shot("reproduced-in-new-tab");
        } finally {
            consoleErrors.addAll(Browser.consoleErrors(driver));
            driver.close();
            driver.switchTo().window(first);
        }
        // Back undoes the last change, as in any page.
        andWait("funnel", () -> driver.navigate().back());
        assertThat(driver.getCurrentUrl()).doesNotContain("purchase_completed");
    }

    @Test
    @Order(5)
    void thePageRequestsNothingFromAnyOtherHost() {
        open("/");
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) js("return performance.getEntriesByType('navigation').concat("
                + "performance.getEntriesByType('resource')).map(e => e.name)");
        String origin = dashboard.url().toString().replaceAll("/$", "");
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(origin + "/"));
        assertThat(urls).anySatisfy(u -> assertThat(u).contains("/assets/echarts-")).anySatisfy(u -> assertThat(u).contains("/api/counts"));
        // And the browser is told to refuse any other host, should anything ever try.
        assertThat(js("return document.querySelectorAll('script:not([src]), link[href^=http], script[src^=http], [src^=http]').length"))
                .isEqualTo(0L);
    }

    @Test
    @Order(6)
    void hostileEventNamesAreShownAsTextAndExportsWork() throws Exception {
        open("/");
        andWait("counts", () -> eventBox(MARKUP).click());
        assertThat(series(chart("counts"))).containsKey(MARKUP + " · android");
        WebElement label = eventBox(MARKUP).findElement(By.xpath(".."));
        assertThat(label.getText()).startsWith(MARKUP);
        assertThat(driver.findElements(By.cssSelector("#event-list img"))).isEmpty();
        // PNG: the chart renders itself to an image.
        String png = (String) js("return echarts.getInstanceByDom(document.querySelector('#card-counts .chart'))"
                + ".getDataURL({type: 'png', backgroundColor: '#fff'})");
        assertThat(png).startsWith("data:image/png;base64,");
        driver.findElement(By.cssSelector("#card-counts .png")).click();
        // CSV: the link is the API's answer for this very view.
        String href = driver.findElement(By.cssSelector("#card-counts .csv")).getAttribute("href");
        assertThat(href).startsWith(dashboard.url().toString() + "api/counts?").endsWith("format=csv");
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines().findFirst()).hasValue("day,event,platform,count");
        assertThat(csv.body()).contains(MARKUP);
    }

    @Test
    @Order(7)
    void atPhoneWidthNothingOverflowsAndEveryControlIsReachableByKeyboard() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("/");
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth + 1")).isEqualTo(true);
        shot("phone-390");
        shotOf("counts", "counts-phone-390");
        // On a phone the filters start folded: the first chart is on the first screen.
        assertThat(driver.findElement(By.id("filters")).getAttribute("open")).isNull();
        assertThat(driver.findElement(By.id("card-counts")).getRect().getY()).isLessThan(844);
        assertThat(driver.findElement(By.id("filters-summary")).getText()).contains("2026-11-11 to 2026-11-24").contains("per day");
        js("document.activeElement.blur(); window.scrollTo(0, 0)");
        List<String> reached = new ArrayList<>();
        WebElement body = driver.findElement(By.tagName("body"));
        body.sendKeys(Keys.TAB);
        for (int i = 0; i < 5 && !"filters-summary".equals(driver.switchTo().activeElement().getAttribute("id")); i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        // Unfolded from the keyboard, as any disclosure.
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(driver.findElement(By.id("filters")).getAttribute("open")).isNotNull();
        shot("phone-390-filters-open");
        for (int i = 0; i < 80; i++) {
            reached.add((String) js("const a = document.activeElement; const s = a.closest('section');"
                    + "return a.id || ((s ? s.id + ' ' : '') + (a.className || a.tagName))"));
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(reached).contains("live", "from", "to", "granularity", "platform", "event-filter", "event-0", "step-1", "step-2",
                "window");
        for (String card : CARDS) {
            assertThat(reached).contains("card-" + card + " png", "card-" + card + " csv");
        }
        // The focused control is visibly marked.
        WebElement step = driver.findElement(By.id("step-1"));
        js("arguments[0].focus()", step);
        step.sendKeys(Keys.SHIFT, Keys.TAB);
        step.sendKeys(Keys.TAB);
        assertThat(js("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
    }

    @Test
    @Order(8)
    void whileLoadsRunThePageDrawsNewRowsWithoutReloading() throws Exception {
        open("/");
        js("window.notReloaded = 42");
        List<Long> before = series(chart("counts")).get("registration_initiated · web");
        // Another load brings 30 more registrations on the web today.
        List<Event> more = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            more.add(ServeFixture.event("live-" + i, "device-55", "web", "registration_initiated", NOW.minusSeconds(60 + i)));
        }
        int drawnBefore = drawn("counts");
        EventFiles.write(store, "live", 1, more);
        new Loader(warehouse, store, 50, new MutableClock(NOW.minusSeconds(30))).run(x -> { }, x -> { });
        events.addAll(more);
        Await.until(Duration.ofSeconds(30), () -> drawn("counts") > drawnBefore, "the page redrawn after the load");
        assertThat(js("return window.notReloaded")).isEqualTo(42L);
        List<Long> after = series(chart("counts")).get("registration_initiated · web");
        assertThat(after.get(13)).isEqualTo(before.get(13) + 30);
        assertThat(series(chart("counts"))).isEqualTo(series(api("/api/counts?event=registration_initiated&event=submission_success")));
        assertThat(driver.findElement(By.id("freshness")).getText()).contains("Last load").contains(NOW.minusSeconds(30).toString().substring(11, 19));
    }

    @Test
    @Order(9)
    void anEmptyWarehouseSaysWhenTheFirstLoadRunsAndAStoppedServerSaysSo() throws Exception {
        Path empty = dir.resolve("empty.duckdb");
        JdbcWarehouse w = new JdbcWarehouse(new DuckDbDialect(empty), () -> DuckDbFiles.open(empty, new Properties()), "duckdb");
        w.ensureSchema();
        InteractiveDashboard d = serve(empty, Duration.ofSeconds(1));
        try {
            driver.get(d.url().toString());
            Await.until(Duration.ofSeconds(30), () -> driver.findElement(By.id("banner")).isDisplayed(), "the banner");
            assertThat(driver.findElement(By.id("banner")).getText())
                    .isEqualTo("No events loaded yet: the first load runs at 15:45 UTC ([schedule] load = \"*/5 * * * *\"). "
                            + "This page updates itself when rows arrive.");
            Await.until(Duration.ofSeconds(30), () -> "empty".equals(chart("counts").get("state")), "the empty counts chart");
            assertThat(chart("counts").get("message")).asString().startsWith("No events loaded yet");
            shot("empty-warehouse");
        } finally {
            d.close();
        }
        Await.until(Duration.ofSeconds(30), () -> driver.findElement(By.id("banner")).getText().startsWith(
                "The dashboard server does not answer"), "the page noticing the server is gone");
        assertThat(driver.findElement(By.id("banner")).getAttribute("class")).contains("error");
        shot("server-stopped");
        // The browser logs the refused connections itself; they are what this test provoked.
        Browser.consoleErrors(driver);
    }
}
