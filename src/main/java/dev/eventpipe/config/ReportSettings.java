package dev.eventpipe.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code [report]}: where charts and the dashboard go, how they look, and who may open the dashboard.
 *
 * @param out    local folder for charts and {@code index.html} (they are also written to the file store under reports/)
 * @param port   the dashboard's HTTP port (eventpipe run and eventpipe serve)
 * @param days   daily charts cover this many days, today included
 * @param width  chart width in pixels
 * @param height chart height in pixels
 * @param bind   the address the dashboard listens on: 127.0.0.1 (this machine only) by default
 * @param users  who may open it, by HTTP basic auth; required when {@code bind} is not a loopback address
 */
public record ReportSettings(Path out, int port, int days, int width, int height, String bind, List<User> users) {

    static final String SECTION = "report";
    public static final String LOOPBACK = "127.0.0.1";

    /** {@code $2a$}, {@code $2b$} or {@code $2y$}, a cost of 04 to 31, then 22 characters of salt and 31 of hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /**
     * One person who may open the dashboard.
     *
     * @param name         the basic-auth user name
     * @param passwordHash the password's bcrypt hash ({@code eventpipe serve --hash-password}, or {@code htpasswd -nB})
     */
    public record User(String name, String passwordHash) {
        @Override
        public String toString() {
            return name;
        }
    }

    public ReportSettings {
        users = List.copyOf(users);
    }

    /** On this machine only, with no users: as {@code eventpipe report} and most tests need it. */
    public ReportSettings(Path out, int port, int days, int width, int height) {
        this(out, port, days, width, height, LOOPBACK, List.of());
    }

    /** Whether the dashboard is reachable from this machine only. */
    public boolean loopbackOnly() {
        return isLoopback(bind);
    }

    static ReportSettings read(SettingsReader r) {
        Path out = r.path(SECTION, "out", "reports");
        int port = r.integer(SECTION, "port", 8080, 1, 65535);
        int days = r.integer(SECTION, "days", 14, 1, 366);
        int width = r.integer(SECTION, "width", 900, 200, 4000);
        int height = r.integer(SECTION, "height", 450, 150, 3000);
        String bind = r.parse(SECTION, "bind", LOOPBACK, ReportSettings::address,
                "must be an IP address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface) or localhost");
        List<User> users = new ArrayList<>();
        String problem = users(r.text(SECTION, "users", ""), users);
        if (problem != null) {
            throw r.invalid(SECTION, "users", problem + "; write name:bcrypt-hash entries separated by commas "
                    + "(make a hash with 'eventpipe serve --hash-password')");
        }
        if (!isLoopback(bind) && users.isEmpty()) {
            throw r.invalid(SECTION, "bind", "opens the dashboard to the network: set [report] users (name:bcrypt-hash, ...) "
                    + "so it asks for a password, or bind " + LOOPBACK);
        }
        return new ReportSettings(out, port, days, width, height, bind, users);
    }

    private static String address(String s) {
        if (s.equals("localhost")) {
            return s;
        }
        var v4 = IPV4.matcher(s);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    throw new IllegalArgumentException(s);
                }
            }
            return s;
        }
        if (s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+")) {
            try {
                // A literal with ':' is parsed as IPv6, never looked up.
                InetAddress.getByName(s);
                return s;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(s, e);
            }
        }
        throw new IllegalArgumentException(s);
    }

    static boolean isLoopback(String bind) {
        if (bind.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(address(bind)).isLoopbackAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads the entries of {@code s} into {@code users}; returns what is wrong with the first bad one, or null. */
    private static String users(String s, List<User> users) {
        Set<String> names = new HashSet<>();
        int n = 0;
        for (String part : s.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            n++;
            int colon = entry.indexOf(':');
            String name = colon < 0 ? entry : entry.substring(0, colon).trim();
            String hash = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!NAME.matcher(name).matches()) {
                // The name is not shown: a password pasted in its place would be printed.
                return "entry " + n + " has no valid user name (1 to 64 of A-Z a-z 0-9 . _ @ -) before its ':'";
            }
            if (!BCRYPT.matcher(hash).matches()) {
                return "the password of '" + name + "' is not a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters): "
                        + "passwords are never written in settings, only their hashes";
            }
            if (!names.add(name)) {
                return "'" + name + "' is given twice";
            }
            users.add(new User(name, hash));
        }
        return null;
    }
}
