package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventPipeProcess;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ConsumerKillIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    @Test
    void aConsumerKilledWithSigkillMidBatchLosesNothingOnceRestarted() throws Exception {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_EVENTS", "1000");
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "1");
        env.put("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT", "31");
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        EventCodec codec = new EventCodec(32_768);
        List<String> ids;
        try (SqsEventBus bus = queue.bus(env)) {
            List<Event> events = Generator.sample(12_000, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 500,
                    0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC());
            ids = events.stream().map(Event::id).toList();
            List<String> bodies = events.stream().map(codec::toWireJson).toList();
            IntStream.range(0, (bodies.size() + 9) / 10).parallel()
                    .forEach(i -> bus.send(bodies.subList(i * 10, Math.min(bodies.size(), i * 10 + 10))));

            EventPipeProcess first = EventPipeProcess.start(dir, env, "consume");
            Await.until(Duration.ofSeconds(90), () -> StoreContents.keys(store, DfsLayout.INCOMING).size() >= 3 || !first.alive(),
                    "the first consumer to write three files");
            first.kill();
            QueueDepth afterKill = bus.depth();
            assertThat(afterKill.visible() + afterKill.inFlight()).as("killed mid-way, with messages left").isPositive();
            assertThat(StoreContents.keys(store, DfsLayout.INCOMING).size()).isLessThan(12);

            EventPipeProcess second = EventPipeProcess.start(dir, env, "consume", "--until-empty");
            int exit = second.waitFor(180);
            assertThat(exit).as(second.log()).isZero();
            QueueDepth end = bus.depth();
            assertThat(end.visible() + end.inFlight()).isZero();
        }
        Set<String> found = new HashSet<>(StoreContents.ids(store, DfsLayout.INCOMING));
        assertThat(found).containsAll(ids);
    }

    @Test
    void sigtermMakesAConsumerWriteWhatItHoldsDeleteAndExitZero() throws Exception {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "600");
        env.put("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT", "900");
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        EventCodec codec = new EventCodec(32_768);
        try (SqsEventBus bus = queue.bus(env)) {
            List<Event> events = Generator.sample(500, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 100,
                    0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC());
            List<String> bodies = events.stream().map(codec::toWireJson).toList();
            for (int i = 0; i < bodies.size(); i += 10) {
                bus.send(bodies.subList(i, i + 10));
            }
            EventPipeProcess consumer = EventPipeProcess.start(dir, env, "consume");
            Await.until(Duration.ofSeconds(60), () -> bus.depth().inFlight() == 500, "the consumer to hold all 500 events");
            assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).as("held, not written: the batch age is 600 s").isEmpty();
            consumer.terminate();
            assertThat(consumer.waitFor(60)).as(consumer.log()).isZero();
            assertThat(consumer.log()).contains("500 messages deleted");
            assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(
                    events.stream().map(Event::id).toList());
            QueueDepth end = bus.depth();
            assertThat(end.visible() + end.inFlight()).isZero();
        }
    }
}
