package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

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

    private final Map<ResourceKey, Map<ScopeKey, List<Span>>> groups = new LinkedHashMap<>();
    private int spanCount;
    private long estimatedBytes;

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
        estimatedBytes += span.getSerializedSize() + SPAN_OVERHEAD;
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
