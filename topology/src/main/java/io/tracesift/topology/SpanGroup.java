package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import com.google.protobuf.InvalidProtocolBufferException;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The spans of one trace from one input record, as carried on the repartition topic and stored as one
 * value per group: {@code [version:1][span count:4][flags:1][ExportTraceServiceRequest bytes]}. The
 * header lets the assembler update its index without parsing the spans (flag 1: holds a root, 2: an error).
 */
record SpanGroup(int spanCount, boolean hasRoot, boolean hasError, byte[] payload) {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + Integer.BYTES + 1;

    static SpanGroup of(SpanBatch batch, boolean hasRoot, boolean hasError) {
        return new SpanGroup(batch.spanCount(), hasRoot, hasError, batch.toRequest().toByteArray());
    }

    byte[] encode() {
        byte flags = (byte) ((hasRoot ? 1 : 0) | (hasError ? 2 : 0));
        return ByteBuffer.allocate(HEADER + payload.length)
                .put(VERSION).putInt(spanCount).put(flags).put(payload).array();
    }

    static SpanGroup decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown span group version " + version);
        }
        int count = b.getInt();
        byte flags = b.get();
        return new SpanGroup(count, (flags & 1) != 0, (flags & 2) != 0, Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    ExportTraceServiceRequest request() {
        try {
            return ExportTraceServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt span group payload", e);
        }
    }

    /** The first {@code n} spans only, for a trace that reaches max-spans-per-trace in this group. */
    SpanGroup firstSpans(int n) {
        SpanBatch batch = new SpanBatch();
        for (ResourceSpans rs : request().getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (batch.spanCount() == n) {
                        return SpanGroup.of(batch, hasRoot, hasError);
                    }
                    batch.add(rs, ss, span);
                }
            }
        }
        return SpanGroup.of(batch, hasRoot, hasError);
    }
}
