package dev.eventpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.SendResult;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private final EventCodec codec = new EventCodec(32_768);

    /** An event bus that accepts every body and keeps it: the generator only sends. */
    private static EventBus acceptingBus(List<String> sent) {
        return (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(), new Class<?>[] {EventBus.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "send" -> {
                        @SuppressWarnings("unchecked")
                        List<String> bodies = (List<String>) args[0];
                        sent.addAll(bodies);
                        yield new SendResult(bodies.size(), List.of());
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static GeneratorOptions options(int count, int threads, FaultRates faults) {
        return new GeneratorOptions(0, count, null, threads, 1, faults, 200, 0.4, 0.6, 1L, 7L, 32_768);
    }

    @Test
    void duplicatesAloneNeverProduceAMalformedEventEvenBeforeAnythingWasSent() {
        // Before anything is sent there is nothing to repeat; such a draw once fell through to the malformed branch.
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        GeneratorSummary s = new Generator(acceptingBus(sent), codec, options(2_000, 2, new FaultRates(0.5, 0, 0, 0)),
                Clock.systemUTC()).run();

        assertThat(sent).hasSize(2_000);
        Set<String> ids = new HashSet<>();
        long valid = 0;
        for (String body : sent) {
            DecodedBody d = codec.decode(body);
            assertThat(d.rejections()).as(body).isEmpty();
            for (Event e : d.events()) {
                valid++;
                ids.add(e.id());
            }
        }
        assertThat(s.faults().get("malformed")).isZero();
        assertThat(s.faults().get("duplicate")).isEqualTo(valid - ids.size()).isPositive();
        assertThat(s.uniqueValid()).isEqualTo(ids.size());
    }

    @Test
    void sendsThePrototypesBodiesByDefault() {
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        new Generator(acceptingBus(sent), codec, options(50, 1, FaultRates.NONE), Clock.systemUTC()).run();
        assertThat(sent).hasSize(50).allSatisfy(b -> assertThat(b).startsWith("{\"id\": \"")
                .contains("\"context_traits_taxfix_language\": \"").doesNotContain("screen_name"));
    }
}
