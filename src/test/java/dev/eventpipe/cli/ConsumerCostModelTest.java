package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConsumerCostModelTest {

    private static final double CPU_PER_EVENT = 30e-6;

    private final ConsumerCostModel model = new ConsumerCostModel(ConsumerCostModel.Prices.usEast1(), CPU_PER_EVENT,
            new ConsumerCostModel.Hosted(5_000, 2, 2, 2), ConsumerCostModel.Lambda.asDeployed(0.03));

    @Test
    void theModelsFunctionIsTheOneTheTemplateDeploys() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/lambda/template.yaml").toFile());
        JsonNode function = template.path("Resources").path("Consumer").path("Properties");
        JsonNode source = function.path("Events").path("Queue").path("Properties");
        ConsumerCostModel.Lambda l = ConsumerCostModel.Lambda.asDeployed(0.03);
        assertThat(source.path("BatchSize").asInt()).isEqualTo(l.batchSize());
        assertThat(source.path("MaximumBatchingWindowInSeconds").asDouble()).isEqualTo(l.batchingWindowSeconds());
        assertThat(function.path("MemorySize").asInt()).isEqualTo(l.memoryMb());
        assertThat(template.path("Parameters").path("MaximumConcurrency").path("Default").asInt()).isEqualTo(l.maximumConcurrency());
    }

    @Test
    void lambdaAtTenThousandEventsASecondIsAHundredFullInvocationsEachWithOnePutAndItsCopy() {
        ConsumerCostModel.Row r = model.at(10_000);
        assertThat(r.lambdaEventsPerInvocation()).isEqualTo(100);
        double invocationsAMonth = 100 * ConsumerCostModel.MONTH_SECONDS;
        assertThat(r.lambdaRequests()).isCloseTo(invocationsAMonth / 1e6 * 0.20, within(0.01));
        assertThat(r.lambdaPuts()).isCloseTo(2 * invocationsAMonth / 1000 * 0.005, within(0.01));
        // 30 ms for the PUT plus 100 events' CPU on 1024/1769 of a vCPU, billed by the millisecond at 1 GB.
        double seconds = Math.ceil((0.03 + 100 * CPU_PER_EVENT / (1024 / 1769.0)) * 1000) / 1000;
        assertThat(r.lambdaCompute()).isCloseTo(invocationsAMonth * seconds * 0.0000166667, within(0.01));
    }

    @Test
    void aQuietQueueInvokesOncePerBatchingWindowAndTheHostedConsumerWritesOncePerBatchAge() {
        ConsumerCostModel.Row r = model.at(10);
        assertThat(r.lambdaEventsPerInvocation()).isEqualTo(50);
        assertThat(r.hostedPuts()).isCloseTo(2 * 0.5 * ConsumerCostModel.MONTH_SECONDS / 1000 * 0.005, within(0.01));
        assertThat(r.hostedInstanceName()).isEqualTo("t4g.small");
        assertThat(r.hostedInstance()).isCloseTo(0.0168 * 730, within(0.001));
    }

    @Test
    void theQueuesRequestsAreASendPerEventAndAReceiveAndADeletePerTen() {
        assertThat(model.at(1_000).sharedSqs()).isCloseTo(1_200 * ConsumerCostModel.MONTH_SECONDS / 1e6 * 0.40, within(0.01));
    }

    @Test
    void aBusyConsumerMovesToALargerInstance() {
        assertThat(model.at(10_000).hostedInstanceName()).isEqualTo("c7g.large");
        assertThat(model.at(10_000).hostedHeadroom()).isCloseTo(2 / (10_000 * CPU_PER_EVENT), within(0.001));
    }
}
