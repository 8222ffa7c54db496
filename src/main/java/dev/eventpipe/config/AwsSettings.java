package dev.eventpipe.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [aws]}: the queue (SQS or an SQS-compatible server), the S3 bucket and credentials.
 * The first six keys are the original prototype's and keep their meaning.
 *
 * @param endpoint             where SQS is: the embedded server, another SQS-compatible server, or AWS
 * @param embeddedDataDir      where the embedded server keeps its messages across restarts; null keeps them in memory
 * @param sqsVisibilityTimeout seconds a received message stays hidden from other consumers
 * @param s3Endpoint           an S3-compatible server (path-style access), or null for AWS S3
 */
public record AwsSettings(
        String region,
        String sqsName,
        int sqsPollingTimeout,
        String s3Bucket,
        String accessKeyId,
        String secretAccessKey,
        QueueEndpoint endpoint,
        int embeddedPort,
        Path embeddedDataDir,
        String sqsDeadLetterName,
        int sqsMaxReceiveCount,
        int sqsVisibilityTimeout,
        URI s3Endpoint) {

    static final String SECTION = "aws";

    /** Where the queue lives. */
    public enum QueueKind { EMBEDDED, CUSTOM, AWS }

    /** The kind of queue endpoint and, for a custom one, its URL. */
    public record QueueEndpoint(QueueKind kind, URI url) {

        static QueueEndpoint parse(String text) {
            if (text.isEmpty() || text.equalsIgnoreCase("aws")) {
                return new QueueEndpoint(QueueKind.AWS, null);
            }
            if (text.equalsIgnoreCase("embedded")) {
                return new QueueEndpoint(QueueKind.EMBEDDED, null);
            }
            URI uri = URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(text);
            }
            return new QueueEndpoint(QueueKind.CUSTOM, uri);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case EMBEDDED -> "embedded";
                case CUSTOM -> Secrets.maskUrl(url.toString());
                case AWS -> "aws";
            };
        }
    }

    /** @param bucketUnusedBecause why {@code s3_bucket} is not used, or null when it is */
    static AwsSettings read(SettingsReader r, String bucketUnusedBecause) {
        String region = r.parse(SECTION, "region", "us-east-1", s -> {
            if (!s.matches("[a-z]{2}(-[a-z]+)+-\\d+|elasticmq")) {
                throw new IllegalArgumentException(s);
            }
            return s;
        }, "must be an AWS region like us-east-1");
        String sqsName = r.parse(SECTION, "sqs_name", "eventpipe-events", AwsSettings::queueName, QUEUE_NAME_RULE);
        int pollingTimeout = r.integer(SECTION, "sqs_polling_timeout", 20, 0, 20);
        String bucket = r.textWhenUsed(SECTION, "s3_bucket", "", s -> s.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") && !s.contains(".."),
                "must be an S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-'", bucketUnusedBecause);
        String keyId = r.text(SECTION, "aws_access_key_id", "");
        String secret = r.text(SECTION, "aws_secret_access_key", "");
        if (!keyId.isEmpty() && secret.isEmpty()) {
            throw r.invalid(SECTION, "aws_access_key_id",
                    "set without [aws] aws_secret_access_key: set both, or neither for the default credentials chain");
        }
        if (keyId.isEmpty() && !secret.isEmpty()) {
            throw r.invalid(SECTION, "aws_secret_access_key",
                    "set without [aws] aws_access_key_id: set both, or neither for the default credentials chain");
        }
        QueueEndpoint endpoint = r.parse(SECTION, "endpoint", QueueEndpoint.parse(""), QueueEndpoint::parse,
                "must be 'embedded', an http://host:port URL of an SQS-compatible server, or empty for AWS");
        int embeddedPort = r.integer(SECTION, "embedded_port", 9324, 1, 65535);
        boolean persist = r.bool(SECTION, "embedded_persist", true);
        Path dataDir = r.path(SECTION, "embedded_data_dir", "data/queue");
        String dlq = r.parse(SECTION, "sqs_dead_letter_name", sqsName + "-dlq", AwsSettings::queueName, QUEUE_NAME_RULE);
        if (dlq.equals(sqsName)) {
            throw r.invalid(SECTION, "sqs_dead_letter_name", "must differ from sqs_name");
        }
        int maxReceive = r.integer(SECTION, "sqs_max_receive_count", 5, 1, 1000);
        int visibility = r.integer(SECTION, "sqs_visibility_timeout", 120, 1, 43_200);
        URI s3Endpoint = r.url(SECTION, "s3_endpoint");
        return new AwsSettings(region, sqsName, pollingTimeout, bucket, keyId, secret, endpoint, embeddedPort,
                persist ? dataDir : null, dlq, maxReceive, visibility, s3Endpoint);
    }

    private static final String QUEUE_NAME_RULE = "must be 1 to 80 letters, digits, '-' or '_'";

    private static String queueName(String s) {
        if (!s.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }

    /** The SQS endpoint to talk to, or empty for the AWS endpoint of {@link #region()}. */
    public Optional<URI> sqsEndpoint() {
        return switch (endpoint.kind()) {
            case EMBEDDED -> Optional.of(URI.create("http://127.0.0.1:" + embeddedPort));
            case CUSTOM -> Optional.of(endpoint.url());
            case AWS -> Optional.empty();
        };
    }

    public boolean hasStaticCredentials() {
        return !accessKeyId.isEmpty();
    }

    @Override
    public String toString() {
        return "AwsSettings[region=" + region + ", sqsName=" + sqsName + ", endpoint=" + endpoint
                + ", credentials=" + (hasStaticCredentials() ? "static ****" : "default chain") + "]";
    }
}
