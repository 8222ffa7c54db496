package dev.eventpipe.store;

import dev.eventpipe.config.AwsCredentials;
import dev.eventpipe.config.AwsSettings;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the S3 client for {@code [aws]}: AWS S3, or an S3-compatible server at {@code [aws] s3_endpoint}. */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(AwsSettings aws, int connections) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(AwsCredentials.provider(aws, aws.s3Endpoint() != null))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(4, connections))
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)));
        if (aws.s3Endpoint() != null) {
            // S3-compatible servers want path-style URLs and often lack the newer flexible checksums.
            b.endpointOverride(aws.s3Endpoint())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }
}
