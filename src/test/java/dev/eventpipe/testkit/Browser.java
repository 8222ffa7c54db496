package dev.eventpipe.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium, driven by its chromedriver, for checking a page as a user's browser
 * sees it. Available where {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} are (CI
 * installs them).
 */
public final class Browser {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** What the page showed. */
    public record Page(String title, List<Map<String, Object>> images, List<String> consoleErrors, String text) {
    }

    private Browser() {
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Loads {@code url} and returns its title, each image's src and natural size, and the console's errors. */
    public static Page load(String url) {
        return load(url, Duration.ZERO, () -> true);
    }

    /**
     * Loads {@code url} and keeps the page open until {@code finished} holds (checked every 100 ms) or {@code atMost}
     * passed, for a page that does its work after it loaded (sends events, say); then returns what it showed.
     */
    @SuppressWarnings("unchecked")
    public static Page load(String url, Duration atMost, java.util.function.BooleanSupplier finished) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep Chromium from reaching out to a network this machine does not have.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.get(url);
            JavascriptExecutor js = driver;
            // Wait until every image has finished loading (or failed).
            for (int i = 0; i < 100; i++) {
                Boolean done = (Boolean) js.executeScript("return Array.from(document.images).every(im => im.complete)");
                if (Boolean.TRUE.equals(done)) {
                    break;
                }
                Thread.sleep(100);
            }
            long deadline = System.nanoTime() + atMost.toNanos();
            while (!finished.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Map<String, Object>> images = (List<Map<String, Object>>) js.executeScript(
                    "return Array.from(document.images).map(im => ({src: im.getAttribute('src'), "
                            + "naturalWidth: im.naturalWidth, naturalHeight: im.naturalHeight}))");
            List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
            return new Page(driver.getTitle(), images, errors, (String) js.executeScript("return document.body.innerText"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            driver.quit();
        }
    }
}
