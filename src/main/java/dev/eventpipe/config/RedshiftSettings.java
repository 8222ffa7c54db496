package dev.eventpipe.config;

/**
 * {@code [redshift]}: the original prototype's Redshift connection, used when
 * {@code [warehouse] type = redshift}. {@code arnCredentials} is the IAM role COPY assumes to read S3.
 * Unused, its keys keep whatever they hold (the prototype's file has placeholders such as {@code pwd}):
 * only the port must still be a port.
 */
public record RedshiftSettings(String user, String password, String host, int port, String database, String arnCredentials) {

    static final String SECTION = "redshift";

    /** @param unusedBecause why {@code [redshift]} is not used, or null when it is */
    static RedshiftSettings read(SettingsReader r, String unusedBecause) {
        return new RedshiftSettings(
                matching(r, "user", "", "[A-Za-z_][A-Za-z0-9_$]{0,126}", "must be a Redshift user name (letters, digits, '_', '$')", unusedBecause),
                r.textWhenUsed(SECTION, "password", "", s -> s.length() >= 8 && s.length() <= 64,
                        "must be 8 to 64 characters, as Redshift requires", unusedBecause),
                matching(r, "host", "", "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", "must be a host name", unusedBecause),
                r.integer(SECTION, "port", 5439, 1, 65535),
                matching(r, "database", "dev", "[a-z_][a-z0-9_$]{0,126}",
                        "must be a Redshift database name (lower-case letters, digits, '_', '$')", unusedBecause),
                matching(r, "arn_credentials", "", "arn:aws[a-z-]*:iam::\\d{12}:role/.+",
                        "must be an IAM role ARN like arn:aws:iam::123456789012:role/name", unusedBecause));
    }

    private static String matching(SettingsReader r, String key, String def, String pattern, String rule, String unusedBecause) {
        return r.textWhenUsed(SECTION, key, def, s -> s.matches(pattern), rule, unusedBecause);
    }

    @Override
    public String toString() {
        return "RedshiftSettings[user=" + user + ", password=****, host=" + host + ", port=" + port
                + ", database=" + database + ", arnCredentials=" + arnCredentials + "]";
    }
}
