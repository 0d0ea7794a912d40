package io.tracesift.topology;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.sampling.SpanView;

import java.util.List;

/**
 * One stored span with the resource and scope it arrived under; what sampling policies see of it.
 *
 * @param service the resource's {@code service.name}, looked up once per resource (see {@link #serviceOf})
 */
record AssembledSpan(ResourceSpans origin, ScopeSpans originScope, Span span, String service) implements SpanView {
    private static final String SERVICE_NAME = "service.name";
    private static final String UNKNOWN_SERVICE = "unknown_service";

    AssembledSpan(ResourceSpans origin, ScopeSpans originScope, Span span) {
        this(origin, originScope, span, serviceOf(origin));
    }

    /** The resource's {@code service.name}, or {@code unknown_service}. */
    static String serviceOf(ResourceSpans origin) {
        Object name = find(origin.getResource().getAttributesList(), SERVICE_NAME);
        return name instanceof String s ? s : UNKNOWN_SERVICE;
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
        for (Span.Event e : span.getEventsList()) {
            if (e.getName().equals("exception")) {
                return true;
            }
        }
        return false;
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

    private static Object find(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return plain(kv.getValue());
            }
        }
        return null;
    }

    private static Object plain(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case VALUE_NOT_SET -> null;
            default -> v.toString();
        };
    }
}
