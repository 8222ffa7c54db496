package dev.eventpipe.bus;

import dev.eventpipe.config.AwsCredentials;
import dev.eventpipe.config.AwsSettings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Builds the SQS client for {@code [aws]}: AWS itself, the embedded server, or another SQS-compatible one. */
public final class SqsClients {

    private SqsClients() {
    }

    /**
     * @param connections the most HTTP connections at once: at least the number of threads that
     *                    call the client, or they queue for a connection
     */
    public static SqsClient create(AwsSettings aws, int connections) {
        SqsClientBuilder b = SqsClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(4, connections))
                        .connectionTimeout(Duration.ofSeconds(5))
                        // a long poll holds the socket for up to 20 s before the first byte
                        .socketTimeout(Duration.ofSeconds(aws.sqsPollingTimeout() + 15L))
                        .tcpKeepAlive(true));
        aws.sqsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /**
     * Our own embedded server ignores signatures, so requests to it go unsigned: SigV4 signing was
     * about a tenth of the client side's CPU in `run`. Any other endpoint gets signed requests, since
     * an SQS-compatible server may check them.
     */
    private static AwsCredentialsProvider credentials(AwsSettings aws) {
        if (aws.endpoint().kind() == AwsSettings.QueueKind.EMBEDDED) {
            return AnonymousCredentialsProvider.create();
        }
        return AwsCredentials.provider(aws, aws.sqsEndpoint().isPresent());
    }
}
