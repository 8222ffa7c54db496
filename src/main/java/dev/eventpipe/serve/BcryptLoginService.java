package dev.eventpipe.serve;

import dev.eventpipe.config.ReportSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.security.AbstractLoginService;
import org.eclipse.jetty.security.RolePrincipal;
import org.eclipse.jetty.security.UserPrincipal;
import org.eclipse.jetty.util.security.Credential;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The people of {@code [report] users}, each checked against their password's bcrypt hash. A browser
 * sends the password with every request (basic auth), and a bcrypt check takes a quarter second on
 * purpose: so once a password passed, a SHA-256 of it is kept in memory and later requests are
 * compared with that, in constant time. A wrong password always pays the full bcrypt check, and a
 * name nobody has is checked against a hash too, so the time taken does not tell which names exist.
 */
final class BcryptLoginService extends AbstractLoginService {

    static final String REALM = "eventpipe dashboard";

    /** A hash of nothing anyone can type, for names nobody has. */
    private static final String NOBODY = BCrypt.hashpw("\u0000no such user", BCrypt.gensalt(10));

    private final Map<String, BcryptCredential> users = new HashMap<>();

    BcryptLoginService(List<ReportSettings.User> users) {
        setName(REALM);
        for (ReportSettings.User u : users) {
            this.users.put(u.name(), new BcryptCredential(u.passwordHash()));
        }
    }

    @Override
    protected List<RolePrincipal> loadRoleInfo(UserPrincipal user) {
        return List.of();
    }

    @Override
    protected UserPrincipal loadUserInfo(String username) {
        BcryptCredential c = users.get(username);
        return new UserPrincipal(username, c != null ? c : new BcryptCredential(NOBODY));
    }

    /** One user's hash, and the digest of the last password that matched it. */
    static final class BcryptCredential extends Credential {

        private final String hash;
        private volatile byte[] passed;

        BcryptCredential(String hash) {
            this.hash = hash;
        }

        @Override
        public boolean check(Object credentials) {
            if (!(credentials instanceof String password)) {
                return false;
            }
            byte[] digest = sha256(password);
            byte[] known = passed;
            if (known != null && MessageDigest.isEqual(known, digest)) {
                return true;
            }
            boolean ok;
            try {
                ok = BCrypt.checkpw(password, hash);
            } catch (IllegalArgumentException e) {
                ok = false;
            }
            if (ok) {
                passed = digest;
            }
            return ok;
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
