package dev.eventpipe.config;

import java.nio.file.Path;

/**
 * {@code [warehouse]}: where events are loaded. DuckDB (a file, the embedded default), PostgreSQL
 * (JDBC URL, user, password) or Redshift (the {@code [redshift]} keys; files must be on S3).
 *
 * @param batchFiles files loaded per transaction
 */
public record WarehouseSettings(Type type, Path path, String url, String user, String password, int batchFiles) {

    static final String SECTION = "warehouse";

    /** The warehouse engine. */
    public enum Type { DUCKDB, POSTGRES, REDSHIFT }

    static Type type(SettingsReader r) {
        return r.choice(SECTION, "type", Type.DUCKDB, Type.class);
    }

    static WarehouseSettings read(SettingsReader r, RedshiftSettings redshift, DfsSettings dfs) {
        Type type = type(r);
        Path path = r.path(SECTION, "path", "data/warehouse.duckdb");
        String url = r.parse(SECTION, "url", "", s -> {
            if (!s.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException(s);
            }
            return s;
        }, "must be a jdbc:postgresql://host:port/database URL");
        String user = r.text(SECTION, "user", "");
        String password = r.text(SECTION, "password", "");
        int batch = r.integer(SECTION, "batch_files", 200, 1, 100_000);
        switch (type) {
            case DUCKDB -> {
                if (path == null) {
                    throw r.invalid(SECTION, "path", "must be set when [warehouse] type = duckdb");
                }
            }
            case POSTGRES -> {
                if (url.isEmpty()) {
                    throw r.invalid(SECTION, "url", "must be set when [warehouse] type = postgres");
                }
            }
            case REDSHIFT -> {
                if (redshift.host().isEmpty()) {
                    throw r.invalid(RedshiftSettings.SECTION, "host", "must be set when [warehouse] type = redshift");
                }
                if (redshift.arnCredentials().isEmpty()) {
                    throw r.invalid(RedshiftSettings.SECTION, "arn_credentials",
                            "must be set when [warehouse] type = redshift (the IAM role COPY uses to read S3)");
                }
                if (dfs.type() != DfsSettings.Type.S3) {
                    throw r.invalid(DfsSettings.SECTION, "type", "must be s3 when [warehouse] type = redshift (COPY reads the files from S3)");
                }
            }
        }
        return new WarehouseSettings(type, path, url, user, password, batch);
    }

    @Override
    public String toString() {
        return "WarehouseSettings[type=" + type + ", path=" + path + ", url=" + Secrets.maskUrl(url) + ", user=" + user
                + ", password=****, batchFiles=" + batchFiles + "]";
    }
}
