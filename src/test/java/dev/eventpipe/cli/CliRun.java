package dev.eventpipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the eventpipe command line in this JVM with a given environment, capturing its output. */
record CliRun(int exitCode, String out, String err) {

    /** An empty settings file, so a test sees the defaults plus its environment, not the repository's settings.ini. */
    static String emptySettings() {
        try {
            java.nio.file.Path file = java.nio.file.Path.of("target", "test-settings", "empty.ini");
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, "");
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static CliRun run(Map<String, String> env, String... args) {
        CommandLine cl = EventPipe.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
