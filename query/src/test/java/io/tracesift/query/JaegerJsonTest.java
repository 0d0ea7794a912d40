package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JaegerJsonTest {
    private static final String ID = TestTraces.id(42);

    private static ExportTraceServiceRequest trace() {
        ExportTraceServiceRequest base = TestTraces.trace(ID)
                .span("frontend", 0, -1, "GET /checkout", 0, 900, false, "http.route", "/checkout")
                .span("payments", 1, 0, "charge", 300, 800, true)
                .request();
        ExportTraceServiceRequest.Builder b = base.toBuilder();
        b.getResourceSpansBuilder(0).getResourceBuilder().addAttributes(kv("host.name", AnyValue.newBuilder().setStringValue("web-1")));
        b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).setScope(InstrumentationScope.newBuilder().setName("io.otel").setVersion("1.2"));
        Span.Builder charge = b.getResourceSpansBuilder(1).getScopeSpansBuilder(0).getSpansBuilder(0);
        charge.setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(kv("retries", AnyValue.newBuilder().setIntValue(3)))
                .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5)))
                .addAttributes(kv("cached", AnyValue.newBuilder().setBoolValue(false)))
                .addAttributes(kv("ids", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1)).addValues(AnyValue.newBuilder().setStringValue("x")))))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(TestTraces.T0_NS + 700_000_000)
                        .addAttributes(kv("exception.message", AnyValue.newBuilder().setStringValue("card declined"))))
                .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 9})));
        return b.build();
    }

    private static KeyValue kv(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void spansUseJaegersUnitsReferencesAndDerivedTags() {
        JsonNode t = JaegerJson.trace(new StoredTrace(ID, 0, 0, 2, 1, trace(), List.of()));
        assertThat(t.path("traceID").asText()).isEqualTo(ID);
        assertThat(t.path("warnings").isNull()).isTrue();
        JsonNode root = t.path("spans").get(0);
        assertThat(root.path("spanID").asText()).isEqualTo(TestTraces.spanId(0));
        assertThat(root.path("operationName").asText()).isEqualTo("GET /checkout");
        assertThat(root.path("startTime").asLong()).isEqualTo(TestTraces.T0_NS / 1000);
        assertThat(root.path("duration").asLong()).isEqualTo(900_000);
        assertThat(root.path("references")).isEmpty();
        assertThat(root.path("processID").asText()).isEqualTo("p1");
        assertThat(root.path("flags").asInt()).isEqualTo(1);
        assertThat(root.path("tags").toString()).contains("{\"key\":\"http.route\",\"type\":\"string\",\"value\":\"/checkout\"}")
                .contains("{\"key\":\"otel.scope.name\",\"type\":\"string\",\"value\":\"io.otel\"}")
                .contains("{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"}");

        JsonNode charge = t.path("spans").get(1);
        assertThat(charge.path("processID").asText()).isEqualTo("p2");
        assertThat(charge.path("references").get(0).toString()).isEqualTo(
                "{\"refType\":\"CHILD_OF\",\"traceID\":\"" + ID + "\",\"spanID\":\"" + TestTraces.spanId(0) + "\"}");
        assertThat(charge.path("references").get(1).path("refType").asText()).isEqualTo("FOLLOWS_FROM");
        assertThat(charge.path("tags").toString())
                .contains("{\"key\":\"retries\",\"type\":\"int64\",\"value\":3}")
                .contains("{\"key\":\"ratio\",\"type\":\"float64\",\"value\":0.5}")
                .contains("{\"key\":\"cached\",\"type\":\"bool\",\"value\":false}")
                .contains("{\"key\":\"ids\",\"type\":\"string\",\"value\":\"[1,\\\"x\\\"]\"}")
                .contains("{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"client\"}")
                .contains("{\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":\"ERROR\"}")
                .contains("{\"key\":\"otel.status_description\",\"type\":\"string\",\"value\":\"boom\"}")
                .contains("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
        assertThat(charge.path("logs").get(0).toString()).isEqualTo("{\"timestamp\":" + (TestTraces.T0_NS / 1000 + 700_000)
                + ",\"fields\":[{\"key\":\"event\",\"type\":\"string\",\"value\":\"exception\"},"
                + "{\"key\":\"exception.message\",\"type\":\"string\",\"value\":\"card declined\"}]}");
    }

    @Test
    void processesCarryServiceNameAndResourceTags() {
        JsonNode t = JaegerJson.trace(new StoredTrace(ID, 0, 0, 2, 1, trace(), List.of(StoredTrace.IN_PROGRESS)));
        assertThat(t.path("processes").toString()).isEqualTo("{\"p1\":{\"serviceName\":\"frontend\",\"tags\":"
                + "[{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"web-1\"}]},"
                + "\"p2\":{\"serviceName\":\"payments\",\"tags\":[]}}");
        assertThat(t.path("warnings").get(0).asText()).startsWith("in progress");
    }

    @Test
    void theEnvelopeHasJaegersFields() {
        JsonNode env = JaegerJson.envelope(JaegerJson.MAPPER.createArrayNode().add("a").add("b"), List.of());
        assertThat(env.toString()).isEqualTo("{\"data\":[\"a\",\"b\"],\"total\":2,\"limit\":0,\"offset\":0,\"errors\":null}");
    }

    @Test
    void v3AnswersOtlpJsonWithHexIds() {
        JsonNode otlp = JaegerJson.otlp(trace());
        JsonNode span = otlp.path("result").path("resourceSpans").get(0).path("scopeSpans").get(0).path("spans").get(0);
        assertThat(span.path("traceId").asText()).isEqualTo(ID);
        assertThat(span.path("spanId").asText()).isEqualTo(TestTraces.spanId(0));
        assertThat(span.path("startTimeUnixNano").asText()).isEqualTo(Long.toString(TestTraces.T0_NS));
    }

    /**
     * Every field kind Jaeger's answer has: all attribute value types (bytes, arrays, maps, escapes, extreme
     * numbers), scope, every span kind and status, events, links, a resource shared by two resource spans, trace
     * warnings and envelope errors.
     */
    private static ExportTraceServiceRequest everyFieldKind() {
        ExportTraceServiceRequest.Builder b = trace().toBuilder();
        ResourceSpans.Builder again = b.getResourceSpans(0).toBuilder();
        Span.Builder s = again.getScopeSpansBuilder(0).getSpansBuilder(0)
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .setName("quote \" and \\ and \u00e9 and \u2028")
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                .setEndTimeUnixNano(TestTraces.T0_NS - 5)
                .addAttributes(kv("blob", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, -1, 7}))))
                .addAttributes(kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("a", AnyValue.newBuilder().setDoubleValue(1e300)))
                        .addValues(kv("b", AnyValue.newBuilder().setBoolValue(true)))
                        .addValues(kv("c", AnyValue.newBuilder())))))
                .addAttributes(kv("big", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE)))
                .addAttributes(kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN)))
                .addAttributes(kv("tiny", AnyValue.newBuilder().setDoubleValue(-4.9e-324)))
                .addEvents(Span.Event.newBuilder().setName("no attributes").setTimeUnixNano(TestTraces.T0_NS));
        for (Span.SpanKind kind : List.of(Span.SpanKind.SPAN_KIND_UNSPECIFIED, Span.SpanKind.SPAN_KIND_PRODUCER,
                Span.SpanKind.SPAN_KIND_CONSUMER, Span.SpanKind.SPAN_KIND_INTERNAL)) {
            again.getScopeSpansBuilder(0).addSpans(Span.newBuilder(s.build()).setKind(kind)
                    .setSpanId(ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, (byte) kind.getNumber()})));
        }
        return b.addResourceSpans(again).build();
    }

    /** jaeger-search-answer.json is what the tree-building JaegerJson wrote for this answer before it streamed. */
    @Test
    void theStreamedSearchAnswerIsByteForByteWhatTheTreeWrote() throws IOException {
        List<StoredTrace> traces = List.of(
                new StoredTrace(ID, 0, 0, 7, 1, everyFieldKind(), List.of(StoredTrace.IN_PROGRESS, "second \"warning\"")),
                new StoredTrace(TestTraces.id(7), 0, 0, 2, 1, trace(), List.of()));
        List<ObjectNode> errors = List.of(JaegerJson.error(503, "partition 3 did not answer", null),
                JaegerJson.error(200, "stale: standby", "abc"));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (JsonGenerator out = JaegerJson.MAPPER.getFactory().createGenerator(streamed)) {
            JaegerJson.traces(traces, errors).writeTo(out);
        }
        try (InputStream expected = getClass().getResourceAsStream("/jaeger-search-answer.json")) {
            assertThat(streamed.toString(StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
