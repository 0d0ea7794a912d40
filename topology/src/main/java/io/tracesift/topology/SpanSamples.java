package io.tracesift.topology;

import io.tracesift.aggregation.SpanSample;

import java.util.HexFormat;

/** Aggregation's view of a stored span. */
final class SpanSamples {
    private static final HexFormat HEX = HexFormat.of();

    private SpanSamples() {}

    /**
     * @param traceIdHex the span's trace id in hex, already known (one per trace); null leaves trace and span ids
     *                   out (span metrics need them only for exemplars), though a parent is still marked, since
     *                   workflow runs are counted on root spans only
     * @param traceKept  true when the trace is certain to be kept (its ids may then become exemplars)
     */
    static SpanSample of(String tenant, AssembledSpan s, String traceIdHex, boolean traceKept) {
        var span = s.span();
        boolean withIds = traceIdHex != null;
        boolean root = s.isRoot();
        String parent = root ? "" : withIds ? HEX.formatHex(span.getParentSpanId().toByteArray()) : "-";
        return new SpanSample(tenant, s.service(), span.getName(), span.getKindValue(), span.getStatus().getCodeValue(),
                span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), span.getSerializedSize(),
                traceIdHex,
                withIds ? HEX.formatHex(span.getSpanId().toByteArray()) : null,
                parent, s::attribute, traceKept);
    }
}
