package dev.eventpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eventpipe.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SAM template in deploy/lambda keeps the invariants the handler relies on (it is not deployed here). */
class DeploymentTemplateTest {

    private JsonNode template;
    private JsonNode resources;

    @BeforeEach
    void read() throws Exception {
        template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/lambda/template.yaml").toFile());
        resources = template.path("Resources");
    }

    private JsonNode function() {
        return resources.path("Consumer").path("Properties");
    }

    @Test
    void theQueueHidesAMessageAtLeastSixTimesTheFunctionsTimeout() {
        int timeout = template.path("Parameters").path("FunctionTimeout").path("Default").asInt();
        int visibility = resources.path("EventQueue").path("Properties").path("VisibilityTimeout").asInt();
        assertThat(timeout).isPositive();
        assertThat(visibility).isGreaterThanOrEqualTo(6 * timeout);
        assertThat(function().path("Environment").path("Variables").path("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT").asInt()).isEqualTo(visibility);
    }

    @Test
    void theQueueRedrivesToTheDeadLetterQueue() {
        JsonNode redrive = resources.path("EventQueue").path("Properties").path("RedrivePolicy");
        assertThat(redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText()).isEqualTo("DeadLetterQueue");
        assertThat(redrive.path("maxReceiveCount").asInt()).isBetween(1, 1000);
    }

    @Test
    void theEventSourceReportsBatchItemFailuresWithABoundedBatchWindowAndConcurrency() {
        JsonNode sqs = function().path("Events").path("Queue");
        assertThat(sqs.path("Type").asText()).isEqualTo("SQS");
        JsonNode p = sqs.path("Properties");
        assertThat(p.path("BatchSize").asInt()).isBetween(1, 10_000);
        assertThat(p.path("MaximumBatchingWindowInSeconds").asInt()).isBetween(0, 300);
        assertThat(p.path("FunctionResponseTypes").toString()).contains("ReportBatchItemFailures");
        assertThat(p.path("ScalingConfig").path("MaximumConcurrency").isMissingNode()).isFalse();
    }

    @Test
    void theFunctionRunsTheHandlerOnAJavaRuntime() throws Exception {
        assertThat(function().path("Runtime").asText()).isIn("java17", "java21");
        String handler = function().path("Handler").asText();
        Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
        assertThat(RequestHandler.class).isAssignableFrom(type);
        assertThat(function().path("MemorySize").asInt()).isBetween(128, 10_240);
    }

    @Test
    void theFunctionsCodeIsTheLambdaArtifactTheBuildMakes() throws Exception {
        Path code = Path.of("deploy/lambda").resolve(function().path("CodeUri").asText()).normalize();
        assertThat(code).isEqualTo(Path.of("target/eventpipe-lambda.jar"));
        assertThat(java.nio.file.Files.readString(Path.of("pom.xml"))).contains("${project.build.directory}/eventpipe-lambda.jar");
    }

    @Test
    void theRoleAllowsOnlyTheActionsUsedOnTheResourcesUsed() {
        Set<String> actions = new HashSet<>();
        for (JsonNode statement : function().path("Policies").get(0).path("Statement")) {
            assertThat(statement.path("Resource").toString()).doesNotContain("\"*\"");
            statement.path("Action").forEach(a -> actions.add(a.asText()));
        }
        assertThat(actions).containsExactlyInAnyOrder("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueUrl", "s3:PutObject");
    }

    @Test
    void theFunctionsSettingsAreValid() {
        Map<String, String> env = new HashMap<>();
        function().path("Environment").path("Variables").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("EVENTPIPE_")) {
                env.put(e.getKey(), e.getValue().isTextual() || e.getValue().isNumber() ? e.getValue().asText() : "eventpipe-bucket");
            }
        });
        Settings s = Settings.load(Path.of("none.ini"), false, env);
        assertThat(s.dfs().type().name()).isEqualTo("S3");
        assertThat(s.aws().sqsName()).isEqualTo("eventpipe-events");
    }
}
