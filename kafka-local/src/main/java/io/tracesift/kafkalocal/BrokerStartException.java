package io.tracesift.kafkalocal;

/** The local broker could not be started or stopped unexpectedly; the message says what to do about it. */
public final class BrokerStartException extends RuntimeException {
    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
