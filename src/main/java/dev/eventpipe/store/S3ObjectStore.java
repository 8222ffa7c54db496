package dev.eventpipe.store;

import java.io.InputStream;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStore} on an S3 bucket under a key prefix, or any S3-compatible server. A put is one
 * PUT (an object appears whole or not at all); a move is a copy then a delete; listings are paged
 * by the SDK's paginator, so any number of objects is listed.
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** @param prefix key prefix inside the bucket ("" or "a/b"; a trailing slash is added) */
    public S3ObjectStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    public String bucket() {
        return bucket;
    }

    /** The full S3 key of a store key. */
    public String s3Key(String key) {
        return prefix + key;
    }

    @Override
    public String ensureReady() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return "bucket '" + bucket + "' unchanged";
        } catch (NoSuchBucketException e) {
            return create();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return create();
            }
            throw failure("reach bucket '" + bucket + "'", e);
        } catch (SdkException e) {
            throw failure("reach bucket '" + bucket + "'", e);
        }
    }

    private String create() {
        try {
            s3.createBucket(b -> b.bucket(bucket));
            return "bucket '" + bucket + "' created";
        } catch (SdkException e) {
            throw failure("create bucket '" + bucket + "'", e);
        }
    }

    @Override
    public void put(String key, byte[] data) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(s3Key(key)).contentLength((long) data.length), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw failure("write '" + key + "'", e);
        }
    }

    /** One PUT streamed from the file (S3 takes up to 5 GB in one PUT). */
    @Override
    public void putFile(String key, java.nio.file.Path file) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(s3Key(key)), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("write '" + key + "'", e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(s3Key(key)));
        } catch (NoSuchKeyException e) {
            throw new StoreException("no object '" + key + "' in " + location(), true, e);
        } catch (SdkException e) {
            throw failure("read '" + key + "'", e);
        }
    }

    @Override
    public Stream<StoredObject> list(String keyPrefix) {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(s3Key(keyPrefix))).contents().stream()
                    .map(o -> new StoredObject(o.key().substring(prefix.length()), o.size(), o.lastModified()));
        } catch (SdkException e) {
            throw failure("list '" + keyPrefix + "'", e);
        }
    }

    @Override
    public void move(String from, String to) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(s3Key(from)).destinationBucket(bucket).destinationKey(s3Key(to)));
        } catch (NoSuchKeyException e) {
            if (!exists(to)) {
                throw new StoreException("cannot move '" + from + "': it is neither there nor at '" + to + "'", true, e);
            }
            return;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && exists(to)) {
                return;
            }
            throw failure("copy '" + from + "' to '" + to + "'", e);
        } catch (SdkException e) {
            throw failure("copy '" + from + "' to '" + to + "'", e);
        }
        delete(from);
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(s3Key(key)));
        } catch (SdkException e) {
            throw failure("delete '" + key + "'", e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(s3Key(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("look up '" + key + "'", e);
        } catch (SdkException e) {
            throw failure("look up '" + key + "'", e);
        }
    }

    @Override
    public java.util.Optional<String> s3Url(String key) {
        return java.util.Optional.of("s3://" + bucket + "/" + s3Key(key));
    }

    private StoreException failure(String what, SdkException e) {
        String cause = e instanceof S3Exception s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                : e.getMessage();
        // Refused credentials, a missing bucket or a bad request will not pass by waiting; 5xx, throttling
        // and network errors (what is left after the SDK's own retries) may.
        boolean retriable = e instanceof S3Exception s ? s.statusCode() >= 500 || s.statusCode() == 429 || s.isThrottlingException()
                : e instanceof software.amazon.awssdk.core.exception.SdkClientException;
        return new StoreException("could not " + what + " in " + location() + ": " + cause, false, retriable, e);
    }
}
