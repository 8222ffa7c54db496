package dev.eventpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.RejectionReason;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MalformerTest {

    @Test
    void anOversizeEventIsAtLeastItsTargetSizeEvenWhenTheBodyWasSpacedLikeThePrototypes() {
        List<String> bodies = Generator.sampleBodies(200, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 50,
                0.4, 0.6, 1L, 3L, 4_096, BodyFormat.PROTOTYPE), Clock.systemUTC());
        EventCodec codec = new EventCodec(4_096);
        SplittableRandom r = new SplittableRandom(1);
        for (String body : bodies) {
            int target = 4_097 + r.nextInt(1024);
            String oversize = Malformer.oversize(body, target, r);
            assertThat(EventCodec.utf8Length(oversize)).isEqualTo(target);
            assertThat(codec.decode(oversize).rejections()).singleElement()
                    .satisfies(x -> assertThat(x.reason()).isEqualTo(RejectionReason.TOO_LARGE));
        }
    }
}
