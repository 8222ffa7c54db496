package dev.eventpipe.serve;

/**
 * A request the API answers with an error: its HTTP status and a one-line message that says what is
 * wrong and what to do, shown to the person as it is (it never holds an exception's text).
 */
final class ApiException extends RuntimeException {

    private final int status;

    private ApiException(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    /** 400: a parameter is missing, malformed or out of its range. */
    static ApiException badRequest(String message) {
        return new ApiException(400, message, null);
    }

    /** 404: no such endpoint. */
    static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    /** 503: the warehouse cannot answer now (busy, too slow, unreachable); the same request may pass later. */
    static ApiException unavailable(String message, Throwable cause) {
        return new ApiException(503, message, cause);
    }

    int status() {
        return status;
    }
}
