package io.tracesift.kafkalocal.prometheus;

/** Prometheus could not be started, refused a request, or did not reach the awaited state; the message says why. */
public final class PrometheusException extends RuntimeException {
    public PrometheusException(String message) {
        super(message);
    }

    public PrometheusException(String message, Throwable cause) {
        super(message, cause);
    }
}
