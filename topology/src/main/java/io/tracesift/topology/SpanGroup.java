package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.RequestScanner;
import io.tracesift.serdes.ScannedSpan;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.util.List;

/**
 * The spans of one trace from one input record, as carried on the repartition topic and stored as one
 * value per group: {@code [version:1][span count:4][flags:1][ExportTraceServiceRequest bytes]}. The
 * header lets the assembler update its index without parsing or copying the spans (flag 1: holds a root,
 * 2: an error). Wraps the encoded bytes; the spans are parsed only when asked for.
 */
final class SpanGroup {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + Integer.BYTES + 1;

    private final byte[] encoded;

    private SpanGroup(byte[] encoded) {
        this.encoded = encoded;
    }

    static SpanGroup of(SpanBatch batch, boolean hasRoot, boolean hasError) {
        return of(batch.toRequest().toByteArray(), batch.spanCount(), hasRoot, hasError);
    }

    /** @param payload an encoded ExportTraceServiceRequest holding exactly {@code spanCount} spans of one trace */
    static SpanGroup of(byte[] payload, int spanCount, boolean hasRoot, boolean hasError) {
        byte[] encoded = new byte[HEADER + payload.length];
        System.arraycopy(payload, 0, encoded, HEADER, payload.length);
        writeHeader(encoded, spanCount, (hasRoot ? 1 : 0) | (hasError ? 2 : 0));
        return new SpanGroup(encoded);
    }

    private static void writeHeader(byte[] encoded, int spanCount, int flags) {
        encoded[0] = VERSION;
        encoded[1] = (byte) (spanCount >>> 24);
        encoded[2] = (byte) (spanCount >>> 16);
        encoded[3] = (byte) (spanCount >>> 8);
        encoded[4] = (byte) spanCount;
        encoded[HEADER - 1] = (byte) flags;
    }

    /**
     * One encoded group holding the spans of {@code groups} (encoded groups of one trace) in order: counts add up,
     * flags combine, and the payloads are concatenated, which protobuf reads as one request holding them all. A
     * single group is returned as it is.
     */
    static byte[] concat(List<byte[]> groups) {
        if (groups.size() == 1) {
            return groups.get(0);
        }
        int length = HEADER;
        int spans = 0;
        int flags = 0;
        for (byte[] g : groups) {
            SpanGroup group = wrap(g);
            length = Math.addExact(length, g.length - HEADER);
            spans = Math.addExact(spans, group.spanCount());
            flags |= g[HEADER - 1];
        }
        byte[] encoded = new byte[length];
        int at = HEADER;
        for (byte[] g : groups) {
            System.arraycopy(g, HEADER, encoded, at, g.length - HEADER);
            at += g.length - HEADER;
        }
        writeHeader(encoded, spans, flags);
        return encoded;
    }

    static SpanGroup wrap(byte[] encoded) {
        if (encoded.length < HEADER || encoded[0] != VERSION) {
            throw new IllegalStateException("not a span group (version " + (encoded.length == 0 ? "none" : encoded[0]) + ")");
        }
        return new SpanGroup(encoded);
    }

    byte[] encoded() {
        return encoded;
    }

    int spanCount() {
        return (encoded[1] & 0xff) << 24 | (encoded[2] & 0xff) << 16 | (encoded[3] & 0xff) << 8 | (encoded[4] & 0xff);
    }

    boolean hasRoot() {
        return (encoded[HEADER - 1] & 1) != 0;
    }

    boolean hasError() {
        return (encoded[HEADER - 1] & 2) != 0;
    }

    ExportTraceServiceRequest request() {
        try {
            return ExportTraceServiceRequest.parseFrom(CodedInputStream.newInstance(encoded, HEADER, encoded.length - HEADER));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt span group payload", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The spans, scanned from the stored bytes without decoding them. The rare payload that needs protobuf's merging
     * (a resource or scope sent twice in one parent) is decoded and re-encoded first.
     */
    List<ScannedSpan> spans() {
        try {
            List<ScannedSpan> spans = RequestScanner.scan(encoded, HEADER, encoded.length - HEADER);
            if (spans == null) {
                byte[] canonical = request().toByteArray();
                spans = RequestScanner.scan(canonical, 0, canonical.length);
            }
            return spans;
        } catch (OtlpDecodeException e) {
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
                        return SpanGroup.of(batch, hasRoot(), hasError());
                    }
                    batch.add(rs, ss, span);
                }
            }
        }
        return SpanGroup.of(batch, hasRoot(), hasError());
    }
}
