package io.tracesift.topology;

import io.tracesift.aggregation.SpanSample;

/** Aggregation's view of a span. */
final class SpanSamples {
    private SpanSamples() {}

    /**
     * @param traceIdHex the span's trace id in hex, already known (one per trace); null leaves trace and span ids
     *                   out (span metrics need them only for exemplars), though a parent is still marked, since
     *                   workflow runs are counted on root spans only
     * @param traceKept  true when the trace is certain to be kept (its ids may then become exemplars)
     */
    static SpanSample of(String tenant, TraceSpan s, String traceIdHex, boolean traceKept) {
        boolean withIds = traceIdHex != null;
        boolean root = s.isRoot();
        String parent = root ? "" : withIds ? s.parentSpanIdHex() : "-";
        return new SpanSample(tenant, s.service(), s.name(), s.kind(), s.statusCode(),
                s.startEpochNanos(), s.endEpochNanos(), s.serializedSize(),
                traceIdHex,
                withIds ? s.spanIdHex() : null,
                parent, s::attribute, traceKept);
    }
}
