package dev.eventpipe.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The credentials every AWS client of eventpipe uses, from {@code [aws]}. */
public final class AwsCredentials {

    private AwsCredentials() {
    }

    /**
     * The two {@code [aws]} keys when set; otherwise the SDK's default chain (environment, profile,
     * instance role). A local server ignores credentials but the SDK still signs, so for one
     * ({@code localEndpoint}) a placeholder follows the chain instead of a failure.
     */
    public static AwsCredentialsProvider provider(AwsSettings aws, boolean localEndpoint) {
        if (aws.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        }
        if (localEndpoint) {
            return AwsCredentialsProviderChain.builder()
                    .credentialsProviders(
                            DefaultCredentialsProvider.builder().build(),
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("eventpipe", "eventpipe")))
                    .reuseLastProviderEnabled(true)
                    .build();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
