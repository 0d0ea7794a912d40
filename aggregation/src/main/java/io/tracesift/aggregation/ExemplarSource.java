package io.tracesift.aggregation;

/**
 * A span's exemplar, made on demand: a series asks only when it wants one ({@link SeriesAccumulator.Series#wantsExemplar}),
 * since finding out whether a span's trace is kept is the costly part.
 */
@FunctionalInterface
public interface ExemplarSource {
    /** No exemplars. */
    ExemplarSource NONE = (value, epochMillis) -> null;

    /** An exemplar for an observation of the span, or null when its trace is not certain to be kept. */
    Exemplar exemplar(double value, long epochMillis);

    /** From the sample's ids, when the sample says its trace is kept and its ids are valid (checked when asked). */
    static ExemplarSource of(SpanSample span) {
        return span.traceKept() ? (value, epochMillis) -> Exemplar.validIds(span.traceIdHex(), span.spanIdHex())
                ? new Exemplar(span.traceIdHex(), span.spanIdHex(), value, epochMillis) : null : NONE;
    }
}
