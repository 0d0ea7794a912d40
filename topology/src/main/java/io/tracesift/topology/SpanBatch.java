package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects spans into one ExportTraceServiceRequest, grouped by resource and scope: spans whose resource
 * (and schema URL) are equal share one ResourceSpans, and likewise for scopes within it. Insertion order is kept.
 */
final class SpanBatch {
    /** Wire overhead allowance for one span (tag + length prefix). */
    private static final int SPAN_OVERHEAD = 6;
    /** Wire overhead allowance for one ResourceSpans or ScopeSpans header besides its content. */
    private static final int GROUP_OVERHEAD = 16;

    private record ResourceKey(Resource resource, String schemaUrl) {}

    private record ScopeKey(InstrumentationScope scope, String schemaUrl) {}

    /** Field tags (number << 3 | length-delimited) of the messages this batch encodes by hand. */
    private static final int FIELD_1 = 1 << 3 | 2;
    private static final int FIELD_2 = 2 << 3 | 2;

    private final Map<ResourceKey, Map<ScopeKey, List<Span>>> groups = new LinkedHashMap<>();
    /** Encoded span fields appended to every span (see {@link #SpanBatch(byte[])}). */
    private final byte[] spanSuffix;
    private int spanCount;
    private long estimatedBytes;

    SpanBatch() {
        this(new byte[0]);
    }

    /**
     * A batch whose every span gets {@code spanSuffix} appended when encoded: encoded Span fields (for example
     * attributes, field 9), which protobuf merges into the span as if they were set on it, without copying it.
     */
    SpanBatch(byte[] spanSuffix) {
        this.spanSuffix = spanSuffix;
    }

    /** Adds a span with the resource and scope of the groups it came from (their span lists are ignored). */
    void add(ResourceSpans origin, ScopeSpans originScope, Span span) {
        ResourceKey rk = new ResourceKey(origin.getResource(), origin.getSchemaUrl());
        Map<ScopeKey, List<Span>> scopes = groups.get(rk);
        if (scopes == null) {
            scopes = new LinkedHashMap<>();
            groups.put(rk, scopes);
            estimatedBytes += rk.resource().getSerializedSize() + rk.schemaUrl().length() + GROUP_OVERHEAD;
        }
        ScopeKey sk = new ScopeKey(originScope.getScope(), originScope.getSchemaUrl());
        List<Span> spans = scopes.get(sk);
        if (spans == null) {
            spans = new ArrayList<>();
            scopes.put(sk, spans);
            estimatedBytes += sk.scope().getSerializedSize() + sk.schemaUrl().length() + GROUP_OVERHEAD;
        }
        spans.add(span);
        spanCount++;
        estimatedBytes += span.getSerializedSize() + spanSuffix.length + SPAN_OVERHEAD;
    }

    int spanCount() {
        return spanCount;
    }

    boolean isEmpty() {
        return spanCount == 0;
    }

    /** An upper bound of the encoded request's size in bytes. */
    long estimatedBytes() {
        return estimatedBytes;
    }

    /** What adding {@code span} under the given origin would add to {@link #estimatedBytes()}, at most. */
    static long costOf(ResourceSpans origin, ScopeSpans originScope, Span span) {
        return origin.getResource().getSerializedSize() + origin.getSchemaUrl().length()
                + originScope.getScope().getSerializedSize() + originScope.getSchemaUrl().length()
                + 2L * GROUP_OVERHEAD + span.getSerializedSize() + SPAN_OVERHEAD;
    }

    /**
     * The encoded ExportTraceServiceRequest, each span followed by the suffix: the same message as
     * {@link #toRequest()} with the suffix's fields set on every span, written without building it.
     */
    byte[] encode() {
        List<int[]> sizes = new ArrayList<>(groups.size());
        int total = 0;
        for (Map.Entry<ResourceKey, Map<ScopeKey, List<Span>>> r : groups.entrySet()) {
            int[] scopeSizes = new int[r.getValue().size() + 1];
            int resource = field(FIELD_1, r.getKey().resource().getSerializedSize());
            int i = 1;
            for (Map.Entry<ScopeKey, List<Span>> s : r.getValue().entrySet()) {
                int scope = field(FIELD_1, s.getKey().scope().getSerializedSize()) + schemaUrlSize(s.getKey().schemaUrl());
                for (Span span : s.getValue()) {
                    scope += field(FIELD_2, span.getSerializedSize() + spanSuffix.length);
                }
                scopeSizes[i++] = scope;
                resource += field(FIELD_2, scope);
            }
            scopeSizes[0] = resource + schemaUrlSize(r.getKey().schemaUrl());
            sizes.add(scopeSizes);
            total += field(FIELD_1, scopeSizes[0]);
        }
        byte[] out = new byte[total];
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        try {
            int r = 0;
            for (Map.Entry<ResourceKey, Map<ScopeKey, List<Span>>> resource : groups.entrySet()) {
                int[] scopeSizes = sizes.get(r++);
                header(w, FIELD_1, scopeSizes[0]);
                w.writeMessage(1, resource.getKey().resource());
                int i = 1;
                for (Map.Entry<ScopeKey, List<Span>> scope : resource.getValue().entrySet()) {
                    header(w, FIELD_2, scopeSizes[i++]);
                    w.writeMessage(1, scope.getKey().scope());
                    for (Span span : scope.getValue()) {
                        header(w, FIELD_2, span.getSerializedSize() + spanSuffix.length);
                        span.writeTo(w);
                        w.writeRawBytes(spanSuffix);
                    }
                    writeSchemaUrl(w, scope.getKey().schemaUrl());
                }
                writeSchemaUrl(w, resource.getKey().schemaUrl());
            }
            w.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a span batch into an array of its computed size", e);
        }
        return out;
    }

    /** Bytes of a length-delimited field with a one-byte tag and {@code length} bytes of content. */
    private static int field(int tag, int length) {
        return CodedOutputStream.computeUInt32SizeNoTag(tag) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private static int schemaUrlSize(String schemaUrl) {
        return schemaUrl.isEmpty() ? 0 : CodedOutputStream.computeStringSize(3, schemaUrl);
    }

    private static void header(CodedOutputStream w, int tag, int length) throws IOException {
        w.writeUInt32NoTag(tag);
        w.writeUInt32NoTag(length);
    }

    private static void writeSchemaUrl(CodedOutputStream w, String schemaUrl) throws IOException {
        if (!schemaUrl.isEmpty()) {
            w.writeString(3, schemaUrl);
        }
    }

    ExportTraceServiceRequest toRequest() {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        groups.forEach((rk, scopes) -> {
            ResourceSpans.Builder rs = request.addResourceSpansBuilder()
                    .setResource(rk.resource()).setSchemaUrl(rk.schemaUrl());
            scopes.forEach((sk, spans) -> rs.addScopeSpansBuilder()
                    .setScope(sk.scope()).setSchemaUrl(sk.schemaUrl()).addAllSpans(spans));
        });
        return request.build();
    }
}
