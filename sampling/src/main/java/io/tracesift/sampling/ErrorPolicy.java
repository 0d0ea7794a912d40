package io.tracesift.sampling;

/** Keeps every trace with a span whose status is ERROR (2) or that carries an {@code exception} event. */
public final class ErrorPolicy implements SamplingPolicy {
    public static final String REASON = "error";
    private static final int STATUS_ERROR = 2;

    private final Decision keep;

    public ErrorPolicy() {
        this(REASON);
    }

    public ErrorPolicy(String reason) {
        this.keep = Decision.keep(reason, 1);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        for (SpanView span : trace.spans()) {
            if (span.statusCode() == STATUS_ERROR || span.hasExceptionEvent()) {
                return keep;
            }
        }
        return Decision.NO_MATCH;
    }
}
