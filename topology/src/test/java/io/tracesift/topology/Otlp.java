package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds OTLP test data: ids from small numbers, spans with times in epoch milliseconds. */
final class Otlp {
    private Otlp() {}

    /**
     * A 16-byte trace id: 8 bytes of {@code n}, then 7 bytes of {@code randomness} (the default sampler keeps 10 %
     * of traces, those whose trailing 56 bits are at least 0.9 * 2^56: use {@link #KEPT_BY_CHANCE} or {@link #DROPPED_BY_CHANCE}).
     */
    static ByteString traceId(long n, long randomness) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(n).putLong(randomness & 0x00FF_FFFF_FFFF_FFFFL).array());
    }

    static final long KEPT_BY_CHANCE = 0x00FF_FFFF_FFFF_FFFFL;
    static final long DROPPED_BY_CHANCE = 0x0000_0000_0000_0001L;

    static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    static ByteString spanId(long n) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array());
    }

    static Span span(ByteString traceId, long spanId, long parentId, long startMs, long endMs, boolean error) {
        Span.Builder b = Span.newBuilder().setTraceId(traceId).setSpanId(spanId(spanId)).setName("op-" + spanId)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(startMs * 1_000_000L).setEndTimeUnixNano(endMs * 1_000_000L);
        if (parentId != 0) {
            b.setParentSpanId(spanId(parentId));
        }
        if (error) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return b.build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static ResourceSpans resourceSpans(Map<String, String> resourceAttributes, List<Span> spans) {
        Resource.Builder resource = Resource.newBuilder();
        resourceAttributes.forEach((k, v) -> resource.addAttributes(attr(k, v)));
        ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource);
        rs.addScopeSpansBuilder().setScope(InstrumentationScope.newBuilder().setName("test-scope")).addAllSpans(spans);
        return rs.build();
    }

    static ExportTraceServiceRequest request(String service, Span... spans) {
        return request(Map.of("service.name", service), List.of(spans));
    }

    static ExportTraceServiceRequest request(Map<String, String> resourceAttributes, List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans(resourceAttributes, spans)).build();
    }

    /** Every span of the given records, in order. */
    static List<Span> spansOf(List<ExportTraceServiceRequest> requests) {
        List<Span> spans = new ArrayList<>();
        requests.forEach(r -> r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
                .forEach(ss -> spans.addAll(ss.getSpansList()))));
        return spans;
    }

    static AnyValue attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
                .findFirst().orElse(null);
    }
}
