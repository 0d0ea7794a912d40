package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Service-graph edges of one trace: a span whose parent ran in another service is one call parent → child. */
final class ServiceGraph {
    private ServiceGraph() {
    }

    /** One "parent\u0000child" entry per crossing span (repeated when a trace calls the same edge again). */
    static List<String> edges(ExportTraceServiceRequest trace) {
        Map<ByteString, String> serviceBySpan = new HashMap<>();
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            String service = RecordFacts.serviceName(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    serviceBySpan.put(span.getSpanId(), service);
                }
            }
        }
        List<String> edges = new ArrayList<>();
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            String child = RecordFacts.serviceName(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    String parent = span.getParentSpanId().isEmpty() ? null : serviceBySpan.get(span.getParentSpanId());
                    if (parent != null && !parent.equals(child)) {
                        edges.add(parent + '\u0000' + child);
                    }
                }
            }
        }
        return edges;
    }
}
