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
 * Collects decoded spans into one ExportTraceServiceRequest, grouped by resource and scope: spans whose resource
 * (and schema URL) are equal share one ResourceSpans, and likewise for scopes within it. Insertion order is kept.
 */
final class SpanBatch {
    private record ResourceKey(Resource resource, String schemaUrl) {}

    private record ScopeKey(InstrumentationScope scope, String schemaUrl) {}

    private final Map<ResourceKey, Map<ScopeKey, List<Span>>> groups = new LinkedHashMap<>();
    private int spanCount;

    /** Adds a span with the resource and scope of the groups it came from (their span lists are ignored). */
    void add(ResourceSpans origin, ScopeSpans originScope, Span span) {
        groups.computeIfAbsent(new ResourceKey(origin.getResource(), origin.getSchemaUrl()), k -> new LinkedHashMap<>())
                .computeIfAbsent(new ScopeKey(originScope.getScope(), originScope.getSchemaUrl()), k -> new ArrayList<>())
                .add(span);
        spanCount++;
    }

    int spanCount() {
        return spanCount;
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
