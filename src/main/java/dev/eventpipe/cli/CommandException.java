package dev.eventpipe.cli;

/** A command cannot go on; the message is the one line the user sees, the code the exit code. */
public final class CommandException extends RuntimeException {

    private final int exitCode;

    public CommandException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Bad usage: exit code 2. */
    public static CommandException usage(String message) {
        return new CommandException(message, EventPipe.EXIT_USAGE);
    }

    /** A runtime failure: exit code 1. */
    public static CommandException failure(String message) {
        return new CommandException(message, EventPipe.EXIT_FAILURE);
    }

    public int exitCode() {
        return exitCode;
    }
}
