package dev.eventpipe.config;

/**
 * {@code [redshift]}: the original prototype's Redshift connection, used when
 * {@code [warehouse] type = redshift}. {@code arnCredentials} is the IAM role COPY assumes to read S3.
 */
public record RedshiftSettings(String user, String password, String host, int port, String database, String arnCredentials) {

    static final String SECTION = "redshift";

    static RedshiftSettings read(SettingsReader r) {
        return new RedshiftSettings(
                r.text(SECTION, "user", ""),
                r.text(SECTION, "password", ""),
                r.text(SECTION, "host", ""),
                r.integer(SECTION, "port", 5439, 1, 65535),
                r.text(SECTION, "database", "dev"),
                r.text(SECTION, "arn_credentials", ""));
    }

    @Override
    public String toString() {
        return "RedshiftSettings[user=" + user + ", password=****, host=" + host + ", port=" + port
                + ", database=" + database + ", arnCredentials=" + arnCredentials + "]";
    }
}
