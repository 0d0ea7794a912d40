package io.tracesift.serdes;

import com.google.protobuf.ByteString;

/**
 * The few fields of one OTLP {@code Span} that assembling and deciding a trace need, read by
 * {@link SpanScanner} without building the protobuf object.
 *
 * @param traceId           raw trace id bytes as sent (normally 16; validate with {@link TraceIds})
 * @param spanId            raw span id bytes as sent (normally 8)
 * @param parentSpanId      raw parent span id bytes; empty for a root span
 * @param name              the span name, "" when absent
 * @param kind              OTLP SpanKind number (0 unspecified ... 5 consumer; unknown numbers kept)
 * @param statusCode        OTLP StatusCode number (0 unset, 1 ok, 2 error; unknown numbers kept)
 * @param startTimeUnixNano start time, nanoseconds since the epoch (OTLP fixed64, read as a signed long)
 * @param endTimeUnixNano   end time, nanoseconds since the epoch
 * @param hasExceptionEvent whether any event is named exactly {@code exception}
 */
public record SpanFacts(
        ByteString traceId,
        ByteString spanId,
        ByteString parentSpanId,
        String name,
        int kind,
        int statusCode,
        long startTimeUnixNano,
        long endTimeUnixNano,
        boolean hasExceptionEvent) {

    /** A span with no parent span id starts its trace. */
    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    /** The trace id as the 32-character lowercase hex used for record keys. */
    public String traceIdHex() {
        return TraceIds.toHex(traceId);
    }
}
