package io.tracesift.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.workload.TraceBatch;
import io.tracesift.workload.WorkflowGenerator;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Traces of exactly {@code traceSize} spans built from generated workflow spans (same attributes, resources and
 * sizes, ~650 B per span): each trace gets a fresh id, its last span becomes the root and the others its children.
 * Every trace is written in records of {@link #SPANS_PER_RECORD} spans, root last, so records look alike whatever
 * the trace size and only the trace size varies between inputs.
 */
final class SizedTraceInput implements InputTopic.Source {
    static final int SPANS_PER_RECORD = 10;
    private static final String TENANT = Benchmark.TENANTS.get(0);

    private record PooledSpan(Resource resource, InstrumentationScope scope, Span span) {}

    private final long seed;
    private final long approximateSpans;
    private final int traceSize;

    SizedTraceInput(long seed, long approximateSpans, int traceSize) {
        this.seed = seed;
        this.approximateSpans = approximateSpans;
        this.traceSize = traceSize;
    }

    @Override
    public void writeTo(InputTopic.Writer writer) {
        long traces = Math.max(1, Math.round((double) approximateSpans / traceSize));
        // A little more than needed: the generator's trace count only approximates the span count.
        WorkflowGenerator pool = new WorkflowInput(seed, traces * traceSize * 11 / 10 + 200, List.of(TENANT),
                InputGrouping.WORKFLOW).generator();
        Random ids = new Random(seed);
        List<PooledSpan> trace = new ArrayList<>(traceSize);
        long written = 0;
        while (written < traces && pool.hasNext()) {
            TraceBatch batch = pool.next();
            for (ResourceSpans resourceSpans : batch.request().getResourceSpansList()) {
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        trace.add(new PooledSpan(resourceSpans.getResource(), scopeSpans.getScope(), span));
                        if (trace.size() == traceSize && written < traces) {
                            writeTrace(trace, ids, writer);
                            trace.clear();
                            written++;
                        }
                    }
                }
            }
        }
        if (written < traces) {
            throw new IllegalStateException("the generator ran out of spans after " + written + " traces");
        }
    }

    private static void writeTrace(List<PooledSpan> spans, Random ids, InputTopic.Writer writer) {
        byte[] id = new byte[16];
        ids.nextBytes(id);
        ByteString traceId = ByteString.copyFrom(id);
        String traceIdHex = HexFormat.of().formatHex(id);
        ByteString rootId = spans.get(spans.size() - 1).span().getSpanId();
        for (int from = 0; from < spans.size(); from += SPANS_PER_RECORD) {
            int to = Math.min(spans.size(), from + SPANS_PER_RECORD);
            ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
            ResourceSpans.Builder resource = null;
            ScopeSpans.Builder scope = null;
            PooledSpan previous = null;
            for (int i = from; i < to; i++) {
                PooledSpan pooled = spans.get(i);
                if (previous == null || !previous.resource().equals(pooled.resource())) {
                    resource = request.addResourceSpansBuilder().setResource(pooled.resource());
                    scope = null;
                }
                if (scope == null || !previous.scope().equals(pooled.scope())) {
                    scope = resource.addScopeSpansBuilder().setScope(pooled.scope());
                }
                Span.Builder span = pooled.span().toBuilder().setTraceId(traceId);
                if (i == spans.size() - 1) {
                    span.clearParentSpanId();
                } else {
                    span.setParentSpanId(rootId);
                }
                scope.addSpans(span);
                previous = pooled;
            }
            writer.write(TENANT, traceIdHex, request.build(), to - from);
        }
        writer.traceDone();
    }
}
