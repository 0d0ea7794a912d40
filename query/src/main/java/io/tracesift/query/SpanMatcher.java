package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.List;
import java.util.Map;

/**
 * Jaeger's search semantics over a whole trace: it matches when one span satisfies the service, operation and
 * every tag at once. A tag matches a span attribute, an attribute of the span's resource (Jaeger's process
 * tags) or a tag Jaeger derives from OTLP ({@code error}, {@code span.kind}, {@code otel.status_code}).
 */
final class SpanMatcher {
    private SpanMatcher() {
    }

    static boolean matches(ExportTraceServiceRequest trace, String service, String operation, Map<String, String> tags) {
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            if (service != null && !service.equals(RecordFacts.serviceName(rs.getResource()))) {
                continue;
            }
            List<KeyValue> resourceAttributes = rs.getResource().getAttributesList();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if ((operation == null || operation.equals(span.getName()))
                            && tags.entrySet().stream().allMatch(t -> hasTag(span, resourceAttributes, t.getKey(), t.getValue()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean hasTag(Span span, List<KeyValue> resourceAttributes, String key, String value) {
        String derived = switch (key) {
            case "error" -> span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR ? "true" : null;
            case "span.kind" -> JaegerJson.spanKind(span.getKind());
            case "otel.status_code" -> JaegerJson.statusCode(span.getStatus().getCode());
            default -> null;
        };
        if (value.equals(derived)) {
            return true;
        }
        return has(span.getAttributesList(), key, value) || has(resourceAttributes, key, value);
    }

    private static boolean has(List<KeyValue> attributes, String key, String value) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key) && value.equals(asText(kv.getValue()))) {
                return true;
            }
        }
        return false;
    }

    /** The value as Jaeger compares it: its plain text form. */
    static String asText(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> null;
        };
    }
}
