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
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OTLP traces in the shapes of Jaeger's v1 HTTP JSON API, following Jaeger's own OTLP translation: times and
 * durations in µs, the parent as a CHILD_OF reference and links as FOLLOWS_FROM, span kind and status as
 * {@code span.kind}, {@code otel.status_code}, {@code otel.status_description} and {@code error} tags,
 * events as logs, one process per resource (service.name as serviceName, other attributes as tags).
 */
public final class JaegerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Names and fixed values pre-encoded once: a 1,500-trace answer writes each of them tens of thousands of times.
    private static final SerializedString TRACE_ID = new SerializedString("traceID");
    private static final SerializedString SPANS = new SerializedString("spans");
    private static final SerializedString PROCESSES = new SerializedString("processes");
    private static final SerializedString WARNINGS = new SerializedString("warnings");
    private static final SerializedString SERVICE_NAME = new SerializedString("serviceName");
    private static final SerializedString SPAN_ID = new SerializedString("spanID");
    private static final SerializedString OPERATION_NAME = new SerializedString("operationName");
    private static final SerializedString REFERENCES = new SerializedString("references");
    private static final SerializedString REF_TYPE = new SerializedString("refType");
    private static final SerializedString CHILD_OF = new SerializedString("CHILD_OF");
    private static final SerializedString FOLLOWS_FROM = new SerializedString("FOLLOWS_FROM");
    private static final SerializedString FLAGS = new SerializedString("flags");
    private static final SerializedString START_TIME = new SerializedString("startTime");
    private static final SerializedString DURATION = new SerializedString("duration");
    private static final SerializedString TAGS = new SerializedString("tags");
    private static final SerializedString LOGS = new SerializedString("logs");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString FIELDS = new SerializedString("fields");
    private static final SerializedString PROCESS_ID = new SerializedString("processID");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString STRING = new SerializedString("string");
    private static final SerializedString BOOL = new SerializedString("bool");
    private static final SerializedString INT64 = new SerializedString("int64");
    private static final SerializedString FLOAT64 = new SerializedString("float64");
    private static final SerializedString BINARY = new SerializedString("binary");
    private static final SerializedString[] PROCESS_IDS = new SerializedString[16];

    static {
        for (int i = 0; i < PROCESS_IDS.length; i++) {
            PROCESS_IDS[i] = new SerializedString("p" + (i + 1));
        }
    }

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
        // Equal resources share a process; a trace has few distinct ones, so a scan is cheaper than hashing every
        // resource (a protobuf hash walks all its attributes), and only resources of the same service are compared.
        List<ResourceSpans> resources = stored.spans().getResourceSpansList();
        List<Resource> processes = new ArrayList<>();
        List<String> serviceNames = new ArrayList<>();
        int[] processOf = new int[resources.size()];
        for (int i = 0; i < processOf.length; i++) {
            Resource resource = resources.get(i).getResource();
            String serviceName = RecordFacts.serviceName(resource);
            int p = 0;
            while (p < processes.size()
                    && !(serviceNames.get(p).equals(serviceName) && processes.get(p).equals(resource))) {
                p++;
            }
            if (p == processes.size()) {
                processes.add(resource);
                serviceNames.add(serviceName);
            }
            processOf[i] = p;
        }
        SerializedString traceId = new SerializedString(stored.traceIdHex());
        out.writeStartObject();
        out.writeFieldName(TRACE_ID);
        out.writeString(traceId);
        out.writeFieldName(SPANS);
        out.writeStartArray();
        for (int i = 0; i < processOf.length; i++) {
            SerializedString processId = processId(processOf[i]);
            for (ScopeSpans ss : resources.get(i).getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    writeSpan(out, traceId, span, ss, processId);
                }
            }
        }
        out.writeEndArray();
        out.writeFieldName(PROCESSES);
        out.writeStartObject();
        for (int p = 0; p < processes.size(); p++) {
            out.writeFieldName(processId(p));
            writeProcess(out, serviceNames.get(p), processes.get(p));
        }
        out.writeEndObject();
        out.writeFieldName(WARNINGS);
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

    /** "p1", "p2", ... for the process at {@code index}. */
    private static SerializedString processId(int index) {
        return index < PROCESS_IDS.length ? PROCESS_IDS[index] : new SerializedString("p" + (index + 1));
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

    private static void writeProcess(JsonGenerator out, String serviceName, Resource resource) throws IOException {
        out.writeStartObject();
        out.writeFieldName(SERVICE_NAME);
        out.writeString(serviceName);
        out.writeFieldName(TAGS);
        out.writeStartArray();
        for (KeyValue kv : resource.getAttributesList()) {
            if (!"service.name".equals(kv.getKey())) {
                writeTag(out, kv.getKey(), kv.getValue());
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void writeSpan(JsonGenerator out, SerializedString traceId, Span span, ScopeSpans scope,
                                  SerializedString processId) throws IOException {
        out.writeStartObject();
        out.writeFieldName(TRACE_ID);
        out.writeString(traceId);
        out.writeFieldName(SPAN_ID);
        out.writeString(TraceIds.toHex(span.getSpanId()));
        out.writeFieldName(OPERATION_NAME);
        out.writeString(span.getName());
        out.writeFieldName(REFERENCES);
        out.writeStartArray();
        if (!span.getParentSpanId().isEmpty()) {
            writeReference(out, CHILD_OF, traceId, TraceIds.toHex(span.getParentSpanId()));
        }
        for (Span.Link link : span.getLinksList()) {
            writeReference(out, FOLLOWS_FROM, new SerializedString(TraceIds.toHex(link.getTraceId())),
                    TraceIds.toHex(link.getSpanId()));
        }
        out.writeEndArray();
        out.writeFieldName(FLAGS);
        out.writeNumber(1);
        out.writeFieldName(START_TIME);
        out.writeNumber(span.getStartTimeUnixNano() / 1000);
        out.writeFieldName(DURATION);
        out.writeNumber(Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000);
        out.writeFieldName(TAGS);
        out.writeStartArray();
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
            out.writeFieldName(KEY);
            out.writeString("error");
            out.writeFieldName(TYPE);
            out.writeString(BOOL);
            out.writeFieldName(VALUE);
            out.writeBoolean(true);
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeFieldName(LOGS);
        out.writeStartArray();
        for (Span.Event event : span.getEventsList()) {
            out.writeStartObject();
            out.writeFieldName(TIMESTAMP);
            out.writeNumber(event.getTimeUnixNano() / 1000);
            out.writeFieldName(FIELDS);
            out.writeStartArray();
            writeStringTag(out, "event", event.getName());
            for (KeyValue kv : event.getAttributesList()) {
                writeTag(out, kv.getKey(), kv.getValue());
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeFieldName(PROCESS_ID);
        out.writeString(processId);
        out.writeFieldName(WARNINGS);
        out.writeNull();
        out.writeEndObject();
    }

    private static void writeReference(JsonGenerator out, SerializedString type, SerializedString traceId,
                                       String spanId) throws IOException {
        out.writeStartObject();
        out.writeFieldName(REF_TYPE);
        out.writeString(type);
        out.writeFieldName(TRACE_ID);
        out.writeString(traceId);
        out.writeFieldName(SPAN_ID);
        out.writeString(spanId);
        out.writeEndObject();
    }

    private static void writeTag(JsonGenerator out, String key, AnyValue v) throws IOException {
        out.writeStartObject();
        out.writeFieldName(KEY);
        out.writeString(key);
        out.writeFieldName(TYPE);
        switch (v.getValueCase()) {
            case BOOL_VALUE -> {
                out.writeString(BOOL);
                out.writeFieldName(VALUE);
                out.writeBoolean(v.getBoolValue());
            }
            case INT_VALUE -> {
                out.writeString(INT64);
                out.writeFieldName(VALUE);
                out.writeNumber(v.getIntValue());
            }
            case DOUBLE_VALUE -> {
                out.writeString(FLOAT64);
                out.writeFieldName(VALUE);
                out.writeNumber(v.getDoubleValue());
            }
            case BYTES_VALUE -> {
                out.writeString(BINARY);
                out.writeFieldName(VALUE);
                out.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            }
            case STRING_VALUE -> {
                out.writeString(STRING);
                out.writeFieldName(VALUE);
                out.writeString(v.getStringValue());
            }
            // Arrays and maps have no Jaeger type: Jaeger's translator writes them as JSON text.
            default -> {
                out.writeString(STRING);
                out.writeFieldName(VALUE);
                out.writeString(anyValueJson(v).toString());
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
        out.writeFieldName(KEY);
        out.writeString(key);
        out.writeFieldName(TYPE);
        out.writeString(STRING);
        out.writeFieldName(VALUE);
        out.writeString(value);
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
