package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.TraceIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSplitterTest {
    private static final ByteString TRACE_A = id(16, 0xa);
    private static final ByteString TRACE_B = id(16, 0xb);

    @Test
    void oneRecordPerTraceKeepingResourceAndScope() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("checkout", span(TRACE_A, 1), span(TRACE_B, 2), span(TRACE_A, 3)))
                .addResourceSpans(resource("payments", span(TRACE_B, 4)))
                .build();

        TraceSplitter.Split split = new TraceSplitter(1_000_000, (t, s) -> true).split(request, "acme");

        assertThat(split.acceptedSpans()).isEqualTo(4);
        assertThat(split.rejectedSpans()).isZero();
        assertThat(split.records()).extracting(TraceSplitter.TraceRecord::traceId)
                .containsExactly(TraceIds.toHex(TRACE_A), TraceIds.toHex(TRACE_B));
        ExportTraceServiceRequest b = ExportTraceServiceRequest.parseFrom(split.records().get(1).value());
        assertThat(b.getResourceSpansList()).extracting(rs -> rs.getResource().getAttributes(0).getValue()
                .getStringValue()).containsExactly("checkout", "payments");
        assertThat(b.getResourceSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.34.0");
        assertThat(b.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("test-scope");
        assertThat(split.records().get(0).spanCount()).isEqualTo(2);
    }

    @Test
    void aTraceOverTheRecordLimitIsCutIntoRecordsUnderItWithEverySpanKept() throws Exception {
        List<Span> spans = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            spans.add(span(TRACE_A, i).toBuilder().setName("x".repeat(200)).build());
        }
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("bulk", spans.toArray(Span[]::new))).build();
        assertThat(request.getSerializedSize()).isGreaterThan(100_000);

        TraceSplitter.Split split = new TraceSplitter(20_000, (t, s) -> true).split(request, null);

        assertThat(split.records().size()).isGreaterThan(5);
        int total = 0;
        for (TraceSplitter.TraceRecord record : split.records()) {
            assertThat(record.value().length).isLessThanOrEqualTo(20_000);
            assertThat(record.traceId()).isEqualTo(TraceIds.toHex(TRACE_A));
            ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(record.value());
            assertThat(part.getResourceSpans(0).getResource()).isEqualTo(request.getResourceSpans(0).getResource());
            total += part.getResourceSpans(0).getScopeSpans(0).getSpansCount();
        }
        assertThat(total).isEqualTo(500);
        assertThat(split.acceptedSpans()).isEqualTo(500);
    }

    @Test
    void unroutableSpansAreRejectedByReason() {
        Span huge = span(TRACE_B, 9).toBuilder().setName("y".repeat(5_000)).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("ok", span(TRACE_A, 1), span(ByteString.copyFrom(new byte[16]), 2),
                        span(TRACE_A, 0), span(id(8, 1), 3), huge, span(TRACE_B, 10)))
                .addResourceSpans(resource("legacy", span(TRACE_A, 4)))
                .build();

        TraceSplitter.Split split = new TraceSplitter(2_000, (tenant, service) ->
                !("acme".equals(tenant) && "legacy".equals(service))).split(request, "acme");

        assertThat(split.rejectedByReason()).containsEntry(TraceSplitter.INVALID_TRACE_ID, 2)
                .containsEntry(TraceSplitter.INVALID_SPAN_ID, 1)
                .containsEntry(TraceSplitter.SERVICE_DISABLED, 1)
                .containsEntry(TraceSplitter.SPAN_TOO_LARGE, 1);
        assertThat(split.acceptedSpans()).isEqualTo(2);
        assertThat(split.records()).hasSize(2);
    }

    @Test
    void withoutATenantHeaderTheResourceTenantDecidesWhetherAServiceIsEnabled() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("legacy", span(TRACE_A, 1)).toBuilder()
                        .setResource(Resource.newBuilder(resource("legacy").getResource())
                                .addAttributes(WorkflowTrace.kv("tenant.id", "acme"))))
                .build();

        TraceSplitter.Split split = new TraceSplitter(2_000, (tenant, service) -> !"acme".equals(tenant))
                .split(request, null);

        assertThat(split.rejectedByReason()).containsEntry(TraceSplitter.SERVICE_DISABLED, 1);
    }

    private static ResourceSpans resource(String service, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(WorkflowTrace.kv("service.name", service)))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.34.0")
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test-scope"))
                        .addAllSpans(List.of(spans)))
                .build();
    }

    private static Span span(ByteString traceId, int spanId) {
        byte[] id = new byte[8];
        id[7] = (byte) spanId;
        id[6] = (byte) (spanId >> 8);
        return Span.newBuilder().setTraceId(traceId).setSpanId(ByteString.copyFrom(id)).setName("op").build();
    }

    private static ByteString id(int length, int fill) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) fill);
        return ByteString.copyFrom(bytes);
    }
}
