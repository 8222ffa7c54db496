package dev.eventpipe.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Servers and tools a test needs beyond the JDK. Where one is missing the test is skipped with the
 * reason, so {@code ./mvnw verify} works on any machine; where {@code EVENTPIPE_TEST_REQUIRE_ALL=1}
 * (as {@code .ci/run} sets) it fails instead, so CI cannot pass by skipping.
 */
public final class Prerequisite {

    public static final String REQUIRE_ALL_VARIABLE = "EVENTPIPE_TEST_REQUIRE_ALL";

    private Prerequisite() {
    }

    /** The PostgreSQL server of {@link PostgresDb}. */
    public static void postgres() {
        require(PostgresDb.url() != null, PostgresDb.URL_VARIABLE + " is not set");
    }

    /** Debian's Chromium and its driver, for {@link Browser}. */
    public static void browser() {
        require(Browser.available(), "Debian's chromium and chromium-driver are not installed");
    }

    /** Node.js and npm, for the analytics SDKs of {@link NodeSdks}. */
    public static void node() {
        require(NodeSdks.available(), "node and npm are not on the PATH");
    }

    private static void require(boolean present, String missing) {
        if (!present && "1".equals(System.getenv(REQUIRE_ALL_VARIABLE))) {
            fail(missing + " (and " + REQUIRE_ALL_VARIABLE + "=1)");
        }
        assumeTrue(present, missing);
    }
}
