package io.tracesift.query;

/** A request the API refuses with 400; the message says what was wrong and what is valid. */
public final class BadRequest extends RuntimeException {
    public BadRequest(String message) {
        super(message, null, false, false);
    }
}
