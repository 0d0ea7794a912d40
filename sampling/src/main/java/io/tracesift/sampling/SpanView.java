package io.tracesift.sampling;

/** What a policy may see of one span. Kinds and status codes use OTLP's numbers. */
public interface SpanView {
    String service();

    String name();

    /** OTLP SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
    int kind();

    /** OTLP StatusCode number: 0 unset, 1 ok, 2 error. */
    int statusCode();

    /** True when the span carries an event named {@code exception}. */
    boolean hasExceptionEvent();

    boolean isRoot();

    long startEpochNanos();

    long endEpochNanos();

    /**
     * The attribute's value (String, Long, Double, Boolean, or String for other kinds),
     * span attributes first, then resource attributes; null when absent.
     */
    Object attribute(String key);
}
