package dev.eventpipe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The queue's raw limit on this machine: tight loops of the bare SDK calls, with nothing of
 * eventpipe in them, to set our figures against.
 */
public final class RawSqs {

    private RawSqs() {
    }

    /**
     * A body of exactly {@code bytes} ASCII bytes: the JSON of the real event closest below that size,
     * padded with a short unknown field. Real JSON matters: the SQS protocol escapes every quote, and
     * events are full of them, so a padded blob would understate the queue's cost per event.
     */
    /** {@code count} distinct bodies of exactly {@code bytes} bytes, each a real event padded as {@link #body}. */
    public static List<String> bodies(List<String> eventJsons, int bytes, int count) {
        List<String> small = eventJsons.stream().filter(e -> e.length() + 10 <= bytes).toList();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(body(List.of(small.get(i % small.size())), bytes));
        }
        return out;
    }

    public static String body(List<String> eventJsons, int bytes) {
        String best = null;
        for (String e : eventJsons) {
            if (e.length() + 10 <= bytes && (best == null || e.length() > best.length())) {
                best = e;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no sample event is smaller than " + bytes + " bytes");
        }
        StringBuilder b = new StringBuilder(bytes).append(best, 0, best.length() - 1).append(",\"pad\":\"");
        while (b.length() < bytes - 2) {
            b.append('x');
        }
        return b.append("\"}").toString();
    }

    /**
     * SendMessageBatch of 10 bodies per call from {@code threads} threads for {@code time}, cycling
     * through the pre-built {@code bodies}; returns messages/s.
     */
    public static double send(SqsClient sqs, String queueUrl, int threads, Duration time, List<String> bodies) throws Exception {
        List<List<SendMessageBatchRequestEntry>> batches = new ArrayList<>();
        for (int from = 0; from + 10 <= bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(from + i)).build());
            }
            batches.add(entries);
        }
        LongAdder sent = new LongAdder();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        long[] last = {start};
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        runThreads(threads, () -> {
            while (System.nanoTime() < end) {
                List<SendMessageBatchRequestEntry> entries = batches.get(Math.floorMod(next.getAndIncrement(), batches.size()));
                sent.add(sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).successful().size());
            }
            synchronized (last) {
                last[0] = Math.max(last[0], System.nanoTime());
            }
        });
        return sent.sum() / ((last[0] - start) / 1e9);
    }

    /**
     * ReceiveMessage (10, long poll) then DeleteMessageBatch from {@code threads} threads until
     * {@code total} messages are deleted; returns messages/s up to the last delete, as the consumer's own
     * figures count. Up to then, not until every thread is back: a thread in a long poll on the emptied queue
     * sits out its wait, up to {@code waitSeconds} of idling that no receive+delete loop needs.
     */
    public static double drain(SqsClient sqs, String queueUrl, int threads, long total, int waitSeconds) throws Exception {
        return drain(sqs, queueUrl, threads, total, waitSeconds, false);
    }

    /**
     * The same; with {@code leaveAtEnd} it returns at the last delete, leaving threads in a long poll to end by
     * themselves (their connections stay busy until then): for a raw process, whose life then ends there too.
     */
    public static double drain(SqsClient sqs, String queueUrl, int threads, long total, int waitSeconds, boolean leaveAtEnd)
            throws Exception {
        LongAdder deleted = new LongAdder();
        AtomicLong lastDelete = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "raw-drain");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Object> done = new ExecutorCompletionService<>(pool);
            for (int t = 0; t < threads; t++) {
                done.submit(() -> {
                    int empty = 0;
                    while (deleted.sum() < total && empty < 3) {
                        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                                .waitTimeSeconds(waitSeconds)).messages();
                        if (got.isEmpty()) {
                            empty++;
                            continue;
                        }
                        empty = 0;
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(got.size());
                        for (int i = 0; i < got.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                    .receiptHandle(got.get(i).receiptHandle()).build());
                        }
                        deleted.add(sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).successful().size());
                        lastDelete.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    return null;
                });
            }
            // Every thread done (three empty receives in a row each, or all deleted), or when leaving at the end, all deleted.
            for (int ended = 0; ended < threads && !(leaveAtEnd && deleted.sum() >= total); ) {
                Future<Object> f = done.poll(10, TimeUnit.MILLISECONDS);
                if (f != null) {
                    f.get();
                    ended++;
                }
            }
        } finally {
            if (leaveAtEnd) {
                pool.shutdownNow();
            } else {
                pool.shutdown();
            }
        }
        long end = lastDelete.get() == 0 ? System.nanoTime() : lastDelete.get();
        return deleted.sum() / ((end - start) / 1e9);
    }

    /** Puts {@code bodies} on the queue with SendMessageBatch from {@code threads} threads. */
    public static void fill(SqsClient sqs, String queueUrl, List<String> bodies, int threads) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        runThreads(threads, () -> {
            int from;
            while ((from = next.getAndAdd(10)) < bodies.size()) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
                for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from)).messageBody(bodies.get(i)).build());
                }
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            }
        });
    }

    private static void runThreads(int threads, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(work));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
