package dev.eventpipe.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a settings value may be shown: a secret key's value never, and inside any URL neither the
 * password of its user-info ({@code scheme://user:pass@host}) nor a parameter that carries a
 * credential ({@code ?password=}, {@code ;PWD=}, {@code &token=}, {@code X-Amz-Signature=} ...).
 */
public final class Secrets {

    static final String MASK = "****";

    /** {@code //user:} then the password, up to the last {@code @} before the path. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:\\s]*:)[^/?#\\s]*@");

    /** A URL or JDBC parameter whose name holds a credential word; its value runs to the next separator. */
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "([?&;][^=&;#\\s]*(?:password|passwd|pwd|secret|token|key|credential|signature|auth)[^=&;#\\s]*=)[^&;#\\s]*",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    /** Whether a settings key holds a secret as a whole (its value is never shown; {@code [report] users}: password hashes). */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("access_key") || k.endsWith("users");
    }

    /** {@code value} as it may be printed for {@code key}: masked whole when secret, else with any URL credentials masked. */
    public static String shown(String key, String value) {
        return isSecretKey(key) ? MASK : maskUrl(value);
    }

    /** {@code text} with the credentials of every URL in it masked; text without any is returned unchanged. */
    public static String maskUrl(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String userInfoMasked = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return CREDENTIAL_PARAMETER.matcher(userInfoMasked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
}
