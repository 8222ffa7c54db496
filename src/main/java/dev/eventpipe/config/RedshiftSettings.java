package dev.eventpipe.config;

/**
 * {@code [redshift]}: the original prototype's Redshift connection, used when
 * {@code [warehouse] type = redshift}. {@code arnCredentials} is the IAM role COPY assumes to read S3.
 */
public record RedshiftSettings(String user, String password, String host, int port, String database, String arnCredentials) {

    static final String SECTION = "redshift";

    static RedshiftSettings read(SettingsReader r) {
        return new RedshiftSettings(
                matching(r, "user", "", "[A-Za-z_][A-Za-z0-9_$]{0,126}", "must be a Redshift user name (letters, digits, '_', '$')"),
                r.parse(SECTION, "password", "", s -> {
                    if (s.length() < 8 || s.length() > 64) {
                        throw new IllegalArgumentException();
                    }
                    return s;
                }, "must be 8 to 64 characters, as Redshift requires"),
                matching(r, "host", "", "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", "must be a host name"),
                r.integer(SECTION, "port", 5439, 1, 65535),
                matching(r, "database", "dev", "[a-z_][a-z0-9_$]{0,126}", "must be a Redshift database name (lower-case letters, digits, '_', '$')"),
                matching(r, "arn_credentials", "", "arn:aws[a-z-]*:iam::\\d{12}:role/.+",
                        "must be an IAM role ARN like arn:aws:iam::123456789012:role/name"));
    }

    private static String matching(SettingsReader r, String key, String def, String pattern, String rule) {
        return r.parse(SECTION, key, def, s -> {
            if (!s.matches(pattern)) {
                throw new IllegalArgumentException(s);
            }
            return s;
        }, rule);
    }

    @Override
    public String toString() {
        return "RedshiftSettings[user=" + user + ", password=****, host=" + host + ", port=" + port
                + ", database=" + database + ", arnCredentials=" + arnCredentials + "]";
    }
}
