package io.tracesift.topology;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.OtlpValues;
import io.tracesift.serdes.TraceIds;

import java.util.List;

/**
 * One decoded span with the resource and scope it arrived under; what sampling policies and span metrics see of it
 * at ingest.
 *
 * @param service the resource's {@code service.name}, looked up once per resource (see {@link #serviceOf})
 */
record AssembledSpan(ResourceSpans origin, ScopeSpans originScope, Span span, String service) implements TraceSpan {
    static final String SERVICE_NAME = "service.name";
    private static final String UNKNOWN_SERVICE = "unknown_service";

    AssembledSpan(ResourceSpans origin, ScopeSpans originScope, Span span) {
        this(origin, originScope, span, serviceOf(origin));
    }

    /** The resource's {@code service.name}, or {@code unknown_service}. */
    static String serviceOf(ResourceSpans origin) {
        return serviceName(find(origin.getResource().getAttributesList(), SERVICE_NAME));
    }

    /** The service name a resource's {@code service.name} value gives: {@code unknown_service} unless a string. */
    static String serviceName(Object serviceNameAttribute) {
        return serviceNameAttribute instanceof String s ? s : UNKNOWN_SERVICE;
    }

    @Override
    public String name() {
        return span.getName();
    }

    @Override
    public int kind() {
        return span.getKindValue();
    }

    @Override
    public int statusCode() {
        return span.getStatus().getCodeValue();
    }

    @Override
    public boolean hasExceptionEvent() {
        return IngestProcessor.hasExceptionEvent(span);
    }

    @Override
    public boolean isRoot() {
        return IngestProcessor.isRoot(span);
    }

    @Override
    public long startEpochNanos() {
        return span.getStartTimeUnixNano();
    }

    @Override
    public long endEpochNanos() {
        return span.getEndTimeUnixNano();
    }

    @Override
    public Object attribute(String key) {
        Object value = find(span.getAttributesList(), key);
        return value != null ? value : find(origin.getResource().getAttributesList(), key);
    }

    @Override
    public String spanIdHex() {
        return TraceIds.toHex(span.getSpanId());
    }

    @Override
    public long spanId() {
        return TraceIds.toLong(span.getSpanId());
    }

    @Override
    public long parentSpanId() {
        return isRoot() ? 0 : TraceIds.toLong(span.getParentSpanId());
    }

    @Override
    public int serializedSize() {
        return span.getSerializedSize();
    }

    private static Object find(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return OtlpValues.plain(kv.getValue());
            }
        }
        return null;
    }
}
