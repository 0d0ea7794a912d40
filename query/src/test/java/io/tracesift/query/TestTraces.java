package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.serdes.TraceIds;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;

/** Builds small OTLP traces for tests: spans of named services with parents, times, status and attributes. */
final class TestTraces {
    static final long T0_NS = 1_760_000_000_000_000_000L;

    private final String traceIdHex;
    private final long t0Ns;
    private final List<ResourceSpans> resources = new ArrayList<>();

    private TestTraces(String traceIdHex, long t0Ns) {
        this.traceIdHex = traceIdHex;
        this.t0Ns = t0Ns;
    }

    static TestTraces trace(String traceIdHex) {
        return new TestTraces(traceIdHex, T0_NS);
    }

    /** A trace whose span times count from {@code t0Ns} instead of {@link #T0_NS}. */
    static TestTraces trace(String traceIdHex, long t0Ns) {
        return new TestTraces(traceIdHex, t0Ns);
    }

    static String id(int n) {
        return String.format("%032x", n + 0xabc000L);
    }

    static String spanId(int n) {
        return String.format("%016x", n + 1);
    }

    /**
     * Adds a span; {@code parent} is a span number or -1 for a root; times are ms after the trace's t0.
     * {@code attributes} alternate key, value.
     */
    TestTraces span(String service, int number, int parent, String name, long startMs, long endMs, boolean error,
                    String... attributes) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TraceIds.fromHex(traceIdHex)))
                .setSpanId(ByteString.copyFrom(TraceIds.fromHex(spanId(number))))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(t0Ns + startMs * 1_000_000)
                .setEndTimeUnixNano(t0Ns + endMs * 1_000_000);
        if (parent >= 0) {
            span.setParentSpanId(ByteString.copyFrom(TraceIds.fromHex(spanId(parent))));
        }
        if (error) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
        }
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(KeyValue.newBuilder().setKey(attributes[i])
                    .setValue(AnyValue.newBuilder().setStringValue(attributes[i + 1])));
        }
        resources.add(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
                .build());
        return this;
    }

    ExportTraceServiceRequest request() {
        return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resources).build();
    }

    /** The spans split into {@code n} requests (round-robin by resource), as chunks of one trace. */
    List<ExportTraceServiceRequest> chunks(int n) {
        List<ExportTraceServiceRequest.Builder> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ExportTraceServiceRequest.newBuilder());
        }
        for (int i = 0; i < resources.size(); i++) {
            out.get(i % n).addResourceSpans(resources.get(i));
        }
        return out.stream().map(ExportTraceServiceRequest.Builder::build).toList();
    }
}
