package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.serdes.TraceIds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP traces in the shapes of Jaeger's v1 HTTP JSON API, following Jaeger's own OTLP translation: times and
 * durations in µs, the parent as a CHILD_OF reference and links as FOLLOWS_FROM, span kind and status as
 * {@code span.kind}, {@code otel.status_code}, {@code otel.status_description} and {@code error} tags,
 * events as logs, one process per resource (service.name as serviceName, other attributes as tags).
 */
public final class JaegerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JaegerJson() {
    }

    /** {@code {"data": [...], "total": n, "limit": 0, "offset": 0, "errors": null or [{code,msg[,traceID]}]}}. */
    public static ObjectNode envelope(JsonNode data, List<ObjectNode> errors) {
        ObjectNode env = NODES.objectNode();
        env.set("data", data);
        env.put("total", data.isArray() ? data.size() : 0);
        env.put("limit", 0);
        env.put("offset", 0);
        if (errors.isEmpty()) {
            env.putNull("errors");
        } else {
            env.set("errors", NODES.arrayNode().addAll(errors));
        }
        return env;
    }

    public static ObjectNode error(int code, String msg, String traceId) {
        ObjectNode e = NODES.objectNode();
        e.put("code", code);
        e.put("msg", msg);
        if (traceId != null) {
            e.put("traceID", traceId);
        }
        return e;
    }

    public static ObjectNode trace(StoredTrace stored) {
        ObjectNode trace = NODES.objectNode();
        trace.put("traceID", stored.traceIdHex());
        ArrayNode spans = trace.putArray("spans");
        ObjectNode processes = trace.putObject("processes");
        Map<Resource, String> processIds = new LinkedHashMap<>();
        for (ResourceSpans rs : stored.spans().getResourceSpansList()) {
            String processId = processIds.computeIfAbsent(rs.getResource(), r -> {
                String id = "p" + (processIds.size() + 1);
                processes.set(id, process(r));
                return id;
            });
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans.add(span(stored.traceIdHex(), span, ss, processId));
                }
            }
        }
        if (stored.warnings().isEmpty()) {
            trace.putNull("warnings");
        } else {
            ArrayNode w = trace.putArray("warnings");
            stored.warnings().forEach(w::add);
        }
        return trace;
    }

    /** Jaeger v3 / OTLP JSON of one trace: {@code {"result": <TracesData>}}. */
    public static ObjectNode otlp(ExportTraceServiceRequest spans) {
        try {
            ObjectNode out = NODES.objectNode();
            out.set("result", MAPPER.readTree(OtlpEncoding.OTLP_JSON.encode(spans)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode process(Resource resource) {
        ObjectNode p = NODES.objectNode();
        p.put("serviceName", RecordFacts.serviceName(resource));
        ArrayNode tags = p.putArray("tags");
        for (KeyValue kv : resource.getAttributesList()) {
            if (!"service.name".equals(kv.getKey())) {
                tags.add(tag(kv.getKey(), kv.getValue()));
            }
        }
        return p;
    }

    private static ObjectNode span(String traceId, Span span, ScopeSpans scope, String processId) {
        ObjectNode s = NODES.objectNode();
        s.put("traceID", traceId);
        s.put("spanID", TraceIds.toHex(span.getSpanId()));
        s.put("operationName", span.getName());
        ArrayNode refs = s.putArray("references");
        if (!span.getParentSpanId().isEmpty()) {
            refs.add(reference("CHILD_OF", traceId, TraceIds.toHex(span.getParentSpanId())));
        }
        for (Span.Link link : span.getLinksList()) {
            refs.add(reference("FOLLOWS_FROM", TraceIds.toHex(link.getTraceId()), TraceIds.toHex(link.getSpanId())));
        }
        s.put("flags", 1);
        s.put("startTime", span.getStartTimeUnixNano() / 1000);
        s.put("duration", Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000);
        ArrayNode tags = s.putArray("tags");
        for (KeyValue kv : span.getAttributesList()) {
            tags.add(tag(kv.getKey(), kv.getValue()));
        }
        if (!scope.getScope().getName().isEmpty()) {
            tags.add(stringTag("otel.scope.name", scope.getScope().getName()));
        }
        if (!scope.getScope().getVersion().isEmpty()) {
            tags.add(stringTag("otel.scope.version", scope.getScope().getVersion()));
        }
        String kind = spanKind(span.getKind());
        if (kind != null) {
            tags.add(stringTag("span.kind", kind));
        }
        String status = statusCode(span.getStatus().getCode());
        if (status != null) {
            tags.add(stringTag("otel.status_code", status));
        }
        if (!span.getStatus().getMessage().isEmpty()) {
            tags.add(stringTag("otel.status_description", span.getStatus().getMessage()));
        }
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            ObjectNode error = NODES.objectNode();
            error.put("key", "error");
            error.put("type", "bool");
            error.put("value", true);
            tags.add(error);
        }
        ArrayNode logs = s.putArray("logs");
        for (Span.Event event : span.getEventsList()) {
            ObjectNode log = NODES.objectNode();
            log.put("timestamp", event.getTimeUnixNano() / 1000);
            ArrayNode fields = log.putArray("fields");
            fields.add(stringTag("event", event.getName()));
            for (KeyValue kv : event.getAttributesList()) {
                fields.add(tag(kv.getKey(), kv.getValue()));
            }
            logs.add(log);
        }
        s.put("processID", processId);
        s.putNull("warnings");
        return s;
    }

    private static ObjectNode reference(String type, String traceId, String spanId) {
        ObjectNode r = NODES.objectNode();
        r.put("refType", type);
        r.put("traceID", traceId);
        r.put("spanID", spanId);
        return r;
    }

    static ObjectNode tag(String key, AnyValue v) {
        ObjectNode t = NODES.objectNode();
        t.put("key", key);
        switch (v.getValueCase()) {
            case BOOL_VALUE -> t.put("type", "bool").put("value", v.getBoolValue());
            case INT_VALUE -> t.put("type", "int64").put("value", v.getIntValue());
            case DOUBLE_VALUE -> t.put("type", "float64").put("value", v.getDoubleValue());
            case BYTES_VALUE -> t.put("type", "binary").put("value",
                    Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case STRING_VALUE -> t.put("type", "string").put("value", v.getStringValue());
            // Arrays and maps have no Jaeger type: Jaeger's translator writes them as JSON text.
            default -> t.put("type", "string").put("value", anyValueJson(v).toString());
        }
        return t;
    }

    private static JsonNode anyValueJson(AnyValue v) {
        return switch (v.getValueCase()) {
            case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
            case INT_VALUE -> NODES.numberNode(v.getIntValue());
            case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
            case STRING_VALUE -> NODES.textNode(v.getStringValue());
            case BYTES_VALUE -> NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                ArrayNode a = NODES.arrayNode();
                v.getArrayValue().getValuesList().forEach(x -> a.add(anyValueJson(x)));
                yield a;
            }
            case KVLIST_VALUE -> {
                ObjectNode o = NODES.objectNode();
                v.getKvlistValue().getValuesList().forEach(kv -> o.set(kv.getKey(), anyValueJson(kv.getValue())));
                yield o;
            }
            default -> NODES.nullNode();
        };
    }

    private static ObjectNode stringTag(String key, String value) {
        ObjectNode t = NODES.objectNode();
        t.put("key", key);
        t.put("type", "string");
        t.put("value", value);
        return t;
    }

    /** Jaeger's span.kind value, or null for an unspecified kind. */
    static String spanKind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> "server";
            case SPAN_KIND_CLIENT -> "client";
            case SPAN_KIND_PRODUCER -> "producer";
            case SPAN_KIND_CONSUMER -> "consumer";
            case SPAN_KIND_INTERNAL -> "internal";
            default -> null;
        };
    }

    static String spanKind(int kindNumber) {
        Span.SpanKind kind = Span.SpanKind.forNumber(kindNumber);
        return kind == null ? null : spanKind(kind);
    }

    /** Jaeger's otel.status_code value, or null when the status is unset. */
    static String statusCode(Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> "OK";
            case STATUS_CODE_ERROR -> "ERROR";
            default -> null;
        };
    }
}
