package io.tracesift.topology;

import io.tracesift.aggregation.SpanSample;

/** Aggregation's view of a span. */
public final class SpanSamples {
    private SpanSamples() {}

    /**
     * A span read from a record's bytes as ingest's span metrics see it (for the bench, which measures that code
     * alone). Ingest holds every span as a {@link StoredSpan} whether or not metrics are on.
     */
    public static SpanSample atIngest(String tenant, StoredSpan span) {
        return of(tenant, span, null, false);
    }

    /**
     * @param traceIdHex the span's trace id in hex, already known (one per trace); null leaves it and the span id out
     *                   (span metrics need them only for exemplars), though the parent is kept, since workflow runs
     *                   are counted on root spans only
     * @param traceKept  true when the trace is certain to be kept (its ids may then become exemplars)
     */
    static SpanSample of(String tenant, TraceSpan s, String traceIdHex, boolean traceKept) {
        return new SpanSample(tenant, s.service(), s.name(), s.kind(), s.statusCode(),
                s.startEpochNanos(), s.endEpochNanos(), s.serializedSize(),
                traceIdHex, traceIdHex == null ? 0 : s.spanId(), s.parentSpanId(), s, traceKept);
    }
}
