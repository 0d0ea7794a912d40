package io.tracesift.serdes;

/** A record value that is not a valid OTLP trace export; {@link #reason()} is a short stable code for DLQ headers and metric labels. */
public final class OtlpDecodeException extends Exception {
    private final String reason;

    public OtlpDecodeException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
