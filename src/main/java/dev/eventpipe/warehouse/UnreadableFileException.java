package dev.eventpipe.warehouse;

/** One file of a load batch cannot be read: bad gzip, a line that is not JSON, a value of the wrong type. */
public final class UnreadableFileException extends WarehouseException {

    private final String fileKey;
    private final String reason;

    public UnreadableFileException(String fileKey, String reason, Throwable cause) {
        super("cannot read '" + fileKey + "': " + reason, cause);
        this.fileKey = fileKey;
        this.reason = reason;
    }

    public String fileKey() {
        return fileKey;
    }

    public String reason() {
        return reason;
    }
}
