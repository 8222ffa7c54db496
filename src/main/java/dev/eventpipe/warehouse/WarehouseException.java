package dev.eventpipe.warehouse;

/** The warehouse could not do what was asked; the message says what and why in one line. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
