package dev.eventpipe.config;

import java.nio.file.Path;

/**
 * {@code [dfs]}: the distributed file store that holds event files between the consumer and the loader.
 *
 * @param type   {@code local} (a folder, or a shared mount) or {@code s3} (bucket {@code [aws] s3_bucket})
 * @param path   the folder, for {@code local}
 * @param prefix the key prefix inside the bucket, for {@code s3}
 */
public record DfsSettings(Type type, Path path, String prefix) {

    static final String SECTION = "dfs";

    /** Where files go. */
    public enum Type { LOCAL, S3 }

    static Type type(SettingsReader r) {
        return r.choice(SECTION, "type", Type.LOCAL, Type.class);
    }

    static DfsSettings read(SettingsReader r, AwsSettings aws) {
        Type type = type(r);
        Path path = r.path(SECTION, "path", "data/dfs");
        String prefix = r.parse(SECTION, "prefix", "eventpipe", s -> {
            String p = s.replaceAll("^/+|/+$", "");
            if (!p.matches("[A-Za-z0-9!_.*'()/-]*")) {
                throw new IllegalArgumentException(s);
            }
            return p;
        }, "must be an S3 key prefix of letters, digits and !_.*'()/-");
        if (type == Type.S3 && aws.s3Bucket().isEmpty()) {
            throw r.invalid(AwsSettings.SECTION, "s3_bucket", "must be set when [dfs] type = s3");
        }
        if (type == Type.LOCAL && path == null) {
            throw r.invalid(SECTION, "path", "must be set when [dfs] type = local");
        }
        return new DfsSettings(type, path, prefix);
    }
}
