package dev.eventpipe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags {@code bin/eventpipe} gives a command line, so a benchmark starts its child processes as
 * users' commands start: the launcher's flags, plus the first-tier-only JIT flags for a command that ends by
 * itself ({@code consume --until-empty}, {@code generate --count}). A raw process held against such a command
 * gets that command's flags. The rule is the launcher's {@code finite} function; keep the two in step.
 */
public final class LauncherFlags {

    private LauncherFlags() {
    }

    /** The flags for {@code eventpipe args...}. */
    public static List<String> forCommand(String... args) {
        List<String> opts = new ArrayList<>(base());
        if (finite(args)) {
            opts.addAll(finiteExtra());
        }
        return opts;
    }

    /** The launcher's flags for every command (outside the launcher: its defaults that matter here). */
    public static List<String> base() {
        return split(System.getProperty("eventpipe.java.opts", "-Xmx768m,-XX:+UseSerialGC"));
    }

    /** What the launcher adds for a command that ends by itself. */
    static List<String> finiteExtra() {
        return split(System.getProperty("eventpipe.java.finite.opts", "-XX:TieredStopAtLevel=1"));
    }

    /** Whether the command line ends by itself once its work is done. */
    static boolean finite(String... args) {
        String command = null;
        for (int i = 0; i < args.length && command == null; i++) {
            if (args[i].equals("--config")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                command = args[i];
            }
        }
        if (command == null) {
            return false;
        }
        return switch (command) {
            case "consume" -> hasOption(args, "--until-empty");
            case "generate" -> hasOption(args, "--count");
            default -> false;
        };
    }

    private static boolean hasOption(String[] args, String name) {
        return Arrays.stream(args).anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).filter(s -> !s.isBlank()).toList();
    }
}
