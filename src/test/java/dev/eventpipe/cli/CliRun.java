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

    /** Runs a command with the defaults ({@link #emptySettings()}) and {@code env}. */
    static CliRun onDefaults(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = emptySettings();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(env, all);
    }

    /** The environment of a pipeline on {@code queue}'s server with its file store and DuckDB warehouse under {@code dir}. */
    static Map<String, String> localPipeline(dev.eventpipe.testkit.ElasticMq queue, java.nio.file.Path dir) {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString());
        return env;
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
