package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.aggregation.SeriesValue;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.KEPT_BY_CHANCE;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The two ingest paths: records read from their bytes, and records decoded whole; both must give the same result. */
class IngestPathTest {
    /**
     * Records of two tenants (by resource attribute): one holding three traces of both tenants, one holding spans of
     * one trace, with GenAI attributes, errors, and traces kept and dropped by chance.
     */
    private static List<ExportTraceServiceRequest> input() {
        List<ExportTraceServiceRequest> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteString kept = Otlp.traceId(10 + i, KEPT_BY_CHANCE);
            ByteString dropped = Otlp.traceId(20 + i, DROPPED_BY_CHANCE);
            ByteString failed = Otlp.traceId(30 + i, DROPPED_BY_CHANCE);
            Span agent = Otlp.span(kept, 1, 0, T0 - 900, T0 - 100, false).toBuilder().setName("invoke_agent planner")
                    .addAttributes(Otlp.attr("gen_ai.operation.name", "invoke_agent"))
                    .addAttributes(Otlp.attr("gen_ai.agent.name", "planner"))
                    .addAttributes(Otlp.attr("gen_ai.request.model", "gpt-4o"))
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).build();
            Span tool = Otlp.span(kept, 2, 1, T0 - 800, T0 - 700, false).toBuilder().setName("execute_tool search")
                    .addAttributes(Otlp.attr("gen_ai.operation.name", "execute_tool"))
                    .addAttributes(Otlp.attr("gen_ai.tool.name", "search")).build();
            Span call = Otlp.span(dropped, 1, 0, T0 - 500, T0 - 450, false).toBuilder().setName("GET /orders")
                    .addAttributes(Otlp.attr("http.request.method", "GET")).build();
            Span error = Otlp.span(failed, 7, 3, T0 - 400, T0 - 350, true).toBuilder().setName("charge")
                    .setKind(Span.SpanKind.SPAN_KIND_CLIENT).build();
            records.add(ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "agents", "tenant.id", "acme"),
                            List.of(agent, tool, withStatement(call))))
                    .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "payments", "tenant.id", "globex"),
                            List.of(error)))
                    .build());
            Span root = Otlp.span(failed, 3, 0, T0 - 450, T0 - 300, false).toBuilder().setName("POST /pay").build();
            Span query = Otlp.span(failed, 8, 3, T0 - 440, T0 - 420, false).toBuilder().setName("SELECT orders").build();
            records.add(Otlp.request(Map.of("service.name", "payments", "tenant.id", "globex"),
                    List.of(withStatement(root), withStatement(query))));
        }
        return records;
    }

    /** The span with a long (secret-free) statement, so each record is larger than 1024 - 256 bytes. */
    private static Span withStatement(Span span) {
        return span.toBuilder().addAttributes(Otlp.attr("db.statement", "SELECT id, status, total FROM orders WHERE "
                + "customer_id = $1 AND status IN ('open', 'paid') ".repeat(8))).build();
    }

    @Test
    void scannedAndDecodedPathsEmitAndCountTheSame() {
        // At the smallest output.max-record-bytes no record is small enough to skip the per-span size checks, so every
        // record is decoded; what is kept and counted must not change.
        try (TopologyFixture scanned = new TopologyFixture();
             TopologyFixture decoded = new TopologyFixture(Map.of("output", Map.of("max-record-bytes", 1024)))) {
            for (ExportTraceServiceRequest record : input()) {
                scanned.send(null, record);
                decoded.send(null, record);
            }
            assertThat(scanned.counters.recordsByIngestPath()).isEqualTo(Map.of("scanned", 8L, "decoded", 0L));
            assertThat(decoded.counters.recordsByIngestPath()).isEqualTo(Map.of("scanned", 0L, "decoded", 8L));

            Map<String, SeriesValue> spanMetrics = MetricsTopologyTest.series(scanned.store(MetricsStores.SPAN_METRICS_STORE));
            assertThat(spanMetrics).containsKey("traces_spanmetrics_calls_total{tenant=acme,service=agents,"
                    + "span_name=invoke_agent planner,span_kind=SPAN_KIND_INTERNAL,status_code=STATUS_CODE_UNSET}");
            assertThat(spanMetrics).isEqualTo(MetricsTopologyTest.series(decoded.store(MetricsStores.SPAN_METRICS_STORE)));

            scanned.advance(Duration.ofSeconds(3));
            decoded.advance(Duration.ofSeconds(3));
            for (String tenant : List.of("acme", "globex")) {
                List<String> spans = emittedSpans(scanned.outputRequests(tenant));
                assertThat(spans).as(tenant).isNotEmpty().isEqualTo(emittedSpans(decoded.outputRequests(tenant)));
            }
            // acme keeps its traces kept by chance (2 spans each), globex its failed ones (3 spans each).
            assertThat(emittedSpans(scanned.outputRequests("acme"))).hasSize(8)
                    .allMatch(s -> s.startsWith("service=agents"));
            assertThat(emittedSpans(scanned.outputRequests("globex"))).hasSize(12)
                    .allMatch(s -> s.startsWith("service=payments"));
            assertThat(scanned.counters.spansAccepted()).isEqualTo(decoded.counters.spansAccepted()).isEqualTo(24);
            assertThat(scanned.deadLetters()).isEmpty();
        }
    }

    @Test
    void aRecordThatNeedsRedactionIsDecodedAndRedacted() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString traceId = Otlp.traceId(1, KEPT_BY_CHANCE);
            Span secret = Otlp.span(traceId, 1, 0, T0 - 200, T0 - 100, false).toBuilder()
                    .addAttributes(Otlp.attr("db.password", "hunter2")).build();
            f.send("acme", Otlp.request("db", secret));
            f.send("acme", Otlp.request("db", Otlp.span(Otlp.traceId(2, KEPT_BY_CHANCE), 1, 0, T0 - 200, T0 - 100, false)));

            assertThat(f.counters.recordsByIngestPath()).isEqualTo(Map.of("scanned", 1L, "decoded", 1L));
            assertThat(f.counters.redactionsByRule()).containsEntry("deny-key", 1L);
            f.advance(Duration.ofSeconds(3));
            Span emitted = Otlp.spansOf(f.outputRequests("acme")).stream()
                    .filter(s -> s.getTraceId().equals(traceId)).findFirst().orElseThrow();
            assertThat(Otlp.attribute(emitted, "db.password").getStringValue()).isEqualTo("[REDACTED]");
        }
    }

    @ParameterizedTest(name = "redaction enabled: {0}")
    @ValueSource(booleans = {true, false})
    void invalidUtf8DeepInAnAttributeIsRejectedAsBeforeWhateverTheRedactionSetting(boolean redaction) {
        try (TopologyFixture f = new TopologyFixture(Map.of("redaction", Map.of("enabled", redaction)))) {
            Span span = Otlp.span(Otlp.traceId(1, KEPT_BY_CHANCE), 1, 0, T0 - 200, T0 - 100, false).toBuilder()
                    .addAttributes(Otlp.attr("note", "#BAD#")).build();
            byte[] value = Otlp.request("svc", span).toByteArray();
            int at = new String(value, StandardCharsets.ISO_8859_1).indexOf("#BAD#");
            value[at] = (byte) 0xff; // no UTF-8 sequence starts with 0xff

            f.sendRaw("acme", value);

            assertThat(f.counters.recordsByIngestPath()).isEqualTo(Map.of("scanned", 0L, "decoded", 1L));
            assertThat(f.counters.deadLettersByReason()).containsOnlyKeys("undecodable-protobuf");
            assertThat(f.counters.spansAccepted()).isZero();
        }
    }

    /** Each emitted span as "service=..,span=<its encoding without the stamped decision attributes>", sorted. */
    private static List<String> emittedSpans(List<ExportTraceServiceRequest> requests) {
        List<String> spans = new ArrayList<>();
        for (ExportTraceServiceRequest request : requests) {
            for (ResourceSpans rs : request.getResourceSpansList()) {
                String service = rs.getResource().getAttributesList().stream()
                        .filter(kv -> kv.getKey().equals("service.name")).findFirst().orElseThrow()
                        .getValue().getStringValue();
                rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
                        s -> spans.add("service=" + service + ",span=" + s)));
            }
        }
        spans.sort(Comparator.naturalOrder());
        return spans;
    }
}
