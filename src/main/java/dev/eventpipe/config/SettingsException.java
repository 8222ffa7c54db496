package dev.eventpipe.config;

/**
 * A settings value that cannot be used. The message is one line that names the section, the key,
 * the value (masked when secret) and what is allowed; the CLI prints it and exits with code 2.
 */
public final class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
