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

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

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

    /** A JSON answer written straight to its destination, so large answers are never held as a tree. */
    @FunctionalInterface
    public interface Body {
        void writeTo(JsonGenerator out) throws IOException;

        static Body of(JsonNode tree) {
            return out -> out.writeTree(tree);
        }
    }

    /** {@code {"data": [...], "total": n, "limit": 0, "offset": 0, "errors": null or [{code,msg[,traceID]}]}}. */
    public static ObjectNode envelope(JsonNode data, List<ObjectNode> errors) {
        return (ObjectNode) tree(envelope(Body.of(data), data.isArray() ? data.size() : 0, errors));
    }

    /** The envelope around {@code data} (which writes {@code total} entries, or null with total 0). */
    public static Body envelope(Body data, int total, List<ObjectNode> errors) {
        return out -> {
            out.writeStartObject();
            out.writeFieldName("data");
            data.writeTo(out);
            out.writeNumberField("total", total);
            out.writeNumberField("limit", 0);
            out.writeNumberField("offset", 0);
            out.writeFieldName("errors");
            if (errors.isEmpty()) {
                out.writeNull();
            } else {
                out.writeStartArray();
                for (ObjectNode e : errors) {
                    out.writeTree(e);
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        };
    }

    /** Jaeger's search answer: the envelope around these traces. */
    public static Body traces(List<StoredTrace> traces, List<ObjectNode> errors) {
        return envelope(out -> {
            out.writeStartArray();
            for (StoredTrace t : traces) {
                writeTrace(out, t);
            }
            out.writeEndArray();
        }, traces.size(), errors);
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

    /** One trace as a tree (the answers write it with {@link #traces} instead). */
    public static ObjectNode trace(StoredTrace stored) {
        return (ObjectNode) tree(out -> writeTrace(out, stored));
    }

    private static JsonNode tree(Body body) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            body.writeTo(buffer);
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTrace(JsonGenerator out, StoredTrace stored) throws IOException {
        // Processes follow the spans in Jaeger's field order, so their ids are assigned before the spans are written.
        Map<Resource, String> processIds = new LinkedHashMap<>();
        List<ResourceSpans> resources = stored.spans().getResourceSpansList();
        String[] processOf = new String[resources.size()];
        for (int i = 0; i < processOf.length; i++) {
            processOf[i] = processIds.computeIfAbsent(resources.get(i).getResource(), r -> "p" + (processIds.size() + 1));
        }
        out.writeStartObject();
        out.writeStringField("traceID", stored.traceIdHex());
        out.writeArrayFieldStart("spans");
        for (int i = 0; i < processOf.length; i++) {
            for (ScopeSpans ss : resources.get(i).getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    writeSpan(out, stored.traceIdHex(), span, ss, processOf[i]);
                }
            }
        }
        out.writeEndArray();
        out.writeObjectFieldStart("processes");
        for (Map.Entry<Resource, String> p : processIds.entrySet()) {
            out.writeFieldName(p.getValue());
            writeProcess(out, p.getKey());
        }
        out.writeEndObject();
        out.writeFieldName("warnings");
        if (stored.warnings().isEmpty()) {
            out.writeNull();
        } else {
            out.writeStartArray();
            for (String w : stored.warnings()) {
                out.writeString(w);
            }
            out.writeEndArray();
        }
        out.writeEndObject();
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

    private static void writeProcess(JsonGenerator out, Resource resource) throws IOException {
        out.writeStartObject();
        out.writeStringField("serviceName", RecordFacts.serviceName(resource));
        out.writeArrayFieldStart("tags");
        for (KeyValue kv : resource.getAttributesList()) {
            if (!"service.name".equals(kv.getKey())) {
                writeTag(out, kv.getKey(), kv.getValue());
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void writeSpan(JsonGenerator out, String traceId, Span span, ScopeSpans scope, String processId)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("traceID", traceId);
        out.writeStringField("spanID", TraceIds.toHex(span.getSpanId()));
        out.writeStringField("operationName", span.getName());
        out.writeArrayFieldStart("references");
        if (!span.getParentSpanId().isEmpty()) {
            writeReference(out, "CHILD_OF", traceId, TraceIds.toHex(span.getParentSpanId()));
        }
        for (Span.Link link : span.getLinksList()) {
            writeReference(out, "FOLLOWS_FROM", TraceIds.toHex(link.getTraceId()), TraceIds.toHex(link.getSpanId()));
        }
        out.writeEndArray();
        out.writeNumberField("flags", 1);
        out.writeNumberField("startTime", span.getStartTimeUnixNano() / 1000);
        out.writeNumberField("duration", Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000);
        out.writeArrayFieldStart("tags");
        for (KeyValue kv : span.getAttributesList()) {
            writeTag(out, kv.getKey(), kv.getValue());
        }
        if (!scope.getScope().getName().isEmpty()) {
            writeStringTag(out, "otel.scope.name", scope.getScope().getName());
        }
        if (!scope.getScope().getVersion().isEmpty()) {
            writeStringTag(out, "otel.scope.version", scope.getScope().getVersion());
        }
        String kind = spanKind(span.getKind());
        if (kind != null) {
            writeStringTag(out, "span.kind", kind);
        }
        String status = statusCode(span.getStatus().getCode());
        if (status != null) {
            writeStringTag(out, "otel.status_code", status);
        }
        if (!span.getStatus().getMessage().isEmpty()) {
            writeStringTag(out, "otel.status_description", span.getStatus().getMessage());
        }
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            out.writeStartObject();
            out.writeStringField("key", "error");
            out.writeStringField("type", "bool");
            out.writeBooleanField("value", true);
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("logs");
        for (Span.Event event : span.getEventsList()) {
            out.writeStartObject();
            out.writeNumberField("timestamp", event.getTimeUnixNano() / 1000);
            out.writeArrayFieldStart("fields");
            writeStringTag(out, "event", event.getName());
            for (KeyValue kv : event.getAttributesList()) {
                writeTag(out, kv.getKey(), kv.getValue());
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeStringField("processID", processId);
        out.writeNullField("warnings");
        out.writeEndObject();
    }

    private static void writeReference(JsonGenerator out, String type, String traceId, String spanId)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("refType", type);
        out.writeStringField("traceID", traceId);
        out.writeStringField("spanID", spanId);
        out.writeEndObject();
    }

    private static void writeTag(JsonGenerator out, String key, AnyValue v) throws IOException {
        out.writeStartObject();
        out.writeStringField("key", key);
        switch (v.getValueCase()) {
            case BOOL_VALUE -> {
                out.writeStringField("type", "bool");
                out.writeBooleanField("value", v.getBoolValue());
            }
            case INT_VALUE -> {
                out.writeStringField("type", "int64");
                out.writeNumberField("value", v.getIntValue());
            }
            case DOUBLE_VALUE -> {
                out.writeStringField("type", "float64");
                out.writeNumberField("value", v.getDoubleValue());
            }
            case BYTES_VALUE -> {
                out.writeStringField("type", "binary");
                out.writeStringField("value", Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            }
            case STRING_VALUE -> {
                out.writeStringField("type", "string");
                out.writeStringField("value", v.getStringValue());
            }
            // Arrays and maps have no Jaeger type: Jaeger's translator writes them as JSON text.
            default -> {
                out.writeStringField("type", "string");
                out.writeStringField("value", anyValueJson(v).toString());
            }
        }
        out.writeEndObject();
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

    private static void writeStringTag(JsonGenerator out, String key, String value) throws IOException {
        out.writeStartObject();
        out.writeStringField("key", key);
        out.writeStringField("type", "string");
        out.writeStringField("value", value);
        out.writeEndObject();
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
