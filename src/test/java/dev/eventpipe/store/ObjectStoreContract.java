package dev.eventpipe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStore} guarantees; each adapter's test extends this with a real store. */
abstract class ObjectStoreContract {

    ObjectStore store;

    /** A fresh, empty store. */
    abstract ObjectStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
        store.ensureReady();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String read(String key) throws Exception {
        try (InputStream in = store.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> keys(String prefix) {
        try (Stream<StoredObject> s = store.list(prefix)) {
            return s.map(StoredObject::key).toList();
        }
    }

    @Test
    void ensureReadyTwiceChangesNothing() {
        assertThat(store.ensureReady()).contains("unchanged");
    }

    @Test
    void aPutObjectCanBeReadBackAndReplaced() throws Exception {
        store.put("incoming/events/dt=2026-11-24/a.ndjson.gz", bytes("one"));
        assertThat(read("incoming/events/dt=2026-11-24/a.ndjson.gz")).isEqualTo("one");
        store.put("incoming/events/dt=2026-11-24/a.ndjson.gz", bytes("two"));
        assertThat(read("incoming/events/dt=2026-11-24/a.ndjson.gz")).isEqualTo("two");
        assertThat(store.exists("incoming/events/dt=2026-11-24/a.ndjson.gz")).isTrue();
        assertThat(store.exists("incoming/events/dt=2026-11-24/b.ndjson.gz")).isFalse();
    }

    @Test
    void aLocalFileIsStoredWholeUnderItsKeyAndLeftInPlace() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("eventpipe-put", ".parquet");
        try {
            byte[] data = new byte[300_000];
            new java.util.Random(7).nextBytes(data);
            java.nio.file.Files.write(file, data);
            store.putFile("lake/events/dt=2026-11-24/part-a.parquet", file);
            try (InputStream in = store.open("lake/events/dt=2026-11-24/part-a.parquet")) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(file).exists();
            assertThat(keys("lake/")).containsExactly("lake/events/dt=2026-11-24/part-a.parquet");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void listingIsInKeyOrderWithSizesAndKeepsToThePrefix() {
        store.put("incoming/events/dt=2026-11-25/b", bytes("bb"));
        store.put("incoming/events/dt=2026-11-24/a", bytes("a"));
        store.put("archive/events/dt=2026-11-24/c", bytes("ccc"));
        try (Stream<StoredObject> s = store.list("incoming/")) {
            assertThat(s.toList()).extracting(StoredObject::key, StoredObject::size).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("incoming/events/dt=2026-11-24/a", 1L),
                    org.assertj.core.groups.Tuple.tuple("incoming/events/dt=2026-11-25/b", 2L));
        }
        assertThat(keys("incoming/events/dt=2026-11-24/")).containsExactly("incoming/events/dt=2026-11-24/a");
        assertThat(keys("quarantine/")).isEmpty();
    }

    @Test
    void listingHasNoLimitOnTheNumberOfObjects() {
        int n = 1_100;
        IntStream.range(0, n).parallel().forEach(i -> store.put(String.format("incoming/events/dt=2026-11-24/f-%05d", i), bytes("x")));
        assertThat(keys("incoming/")).hasSize(n).isSorted();
    }

    @Test
    void aMoveCanBeRepeatedAfterItSucceeded() throws Exception {
        store.put("incoming/events/dt=2026-11-24/a", bytes("data"));
        store.move("incoming/events/dt=2026-11-24/a", "archive/events/dt=2026-11-24/a");
        assertThat(store.exists("incoming/events/dt=2026-11-24/a")).isFalse();
        assertThat(read("archive/events/dt=2026-11-24/a")).isEqualTo("data");
        store.move("incoming/events/dt=2026-11-24/a", "archive/events/dt=2026-11-24/a");
        assertThat(read("archive/events/dt=2026-11-24/a")).isEqualTo("data");
    }

    @Test
    void movingWhatIsNowhereFailsAsMissing() {
        assertThatThrownBy(() -> store.move("incoming/events/nope", "archive/events/nope"))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).missing()).isTrue());
    }

    @Test
    void openingAMissingObjectFailsAsMissingAndDeletingOneIsFine() {
        assertThatThrownBy(() -> store.open("incoming/events/nope"))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).missing()).isTrue());
        store.delete("incoming/events/nope");
        store.put("incoming/events/x", bytes("x"));
        store.delete("incoming/events/x");
        assertThat(store.exists("incoming/events/x")).isFalse();
    }
}
