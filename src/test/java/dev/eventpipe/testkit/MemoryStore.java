package dev.eventpipe.testkit;

import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import dev.eventpipe.store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A file store in memory for unit tests, whose next puts can be made to fail (retriably or not). */
public final class MemoryStore implements ObjectStore {

    public final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    public final List<String> puts = new CopyOnWriteArrayList<>();
    public final AtomicInteger attempts = new AtomicInteger();
    private int failures;
    private boolean retriable;
    private Predicate<String> failing = k -> true;

    /** The next {@code n} puts fail. */
    public synchronized MemoryStore failNext(int n, boolean retriable) {
        return failNext(n, retriable, k -> true);
    }

    /** The next {@code n} puts of keys {@code which} accepts fail. */
    public synchronized MemoryStore failNext(int n, boolean retriable, Predicate<String> which) {
        this.failures = n;
        this.retriable = retriable;
        this.failing = which;
        return this;
    }

    @Override
    public void put(String key, byte[] data) {
        attempts.incrementAndGet();
        synchronized (this) {
            if (failures > 0 && failing.test(key)) {
                failures--;
                throw new StoreException("disk says no", false, retriable, null);
            }
        }
        objects.put(key, data.clone());
        puts.add(key);
    }

    @Override public String location() { return "memory"; }
    @Override public String ensureReady() { return "ready"; }
    @Override public InputStream open(String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new StoreException("no object '" + key + "'", true, null);
        }
        return new ByteArrayInputStream(b);
    }
    @Override public Stream<StoredObject> list(String prefix) {
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> new StoredObject(e.getKey(), e.getValue().length, Instant.EPOCH));
    }
    @Override public void move(String from, String to) { objects.put(to, objects.remove(from)); }
    @Override public void delete(String key) { objects.remove(key); }
    @Override public boolean exists(String key) { return objects.containsKey(key); }
}
