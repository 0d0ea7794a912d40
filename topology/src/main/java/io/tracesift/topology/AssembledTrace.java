package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.sampling.SpanView;
import io.tracesift.sampling.TraceView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A whole (or truncated) trace read back from its stored span groups; parsed only at decision time. */
final class AssembledTrace implements TraceView {
    private final String tenant;
    private final String traceIdHex;
    private final List<AssembledSpan> spans;

    AssembledTrace(String tenant, String traceIdHex, List<AssembledSpan> spans) {
        this.tenant = tenant;
        this.traceIdHex = traceIdHex;
        this.spans = spans;
    }

    static AssembledTrace of(String tenant, String traceIdHex, List<ExportTraceServiceRequest> groups) {
        List<AssembledSpan> spans = new ArrayList<>();
        for (ExportTraceServiceRequest group : groups) {
            for (ResourceSpans rs : group.getResourceSpansList()) {
                String service = AssembledSpan.serviceOf(rs);
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        spans.add(new AssembledSpan(rs, ss, span, service));
                    }
                }
            }
        }
        return new AssembledTrace(tenant, traceIdHex, spans);
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String traceIdHex() {
        return traceIdHex;
    }

    @Override
    public List<SpanView> spans() {
        return Collections.unmodifiableList(spans);
    }

    List<AssembledSpan> assembledSpans() {
        return spans;
    }
}
