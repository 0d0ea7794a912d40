package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written encoding of a batch equals protobuf's, with and without fields appended to every span. */
class SpanBatchTest {
    private final ByteString trace = Otlp.traceId(1, DROPPED_BY_CHANCE);
    private final ResourceSpans web = withScope(Otlp.resourceSpans(Map.of("service.name", "web"), List.of()), "http", "");
    private final ResourceSpans db = withScope(Otlp.resourceSpans(Map.of("service.name", "db"), List.of()), "sql", "https://opentelemetry.io/schemas/1.26.0")
            .toBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.24.0").build();
    private final ScopeSpans noScope = ScopeSpans.getDefaultInstance();

    private static ResourceSpans withScope(ResourceSpans rs, String scope, String schemaUrl) {
        return rs.toBuilder().clearScopeSpans().addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope).setVersion("1.0")).setSchemaUrl(schemaUrl)).build();
    }

    private SpanBatch fill(SpanBatch batch) {
        for (int i = 1; i <= 6; i++) {
            Span span = Otlp.span(trace, i, i == 1 ? 0 : 1, T0 - 100, T0, i == 4).toBuilder()
                    .addAttributes(Otlp.attr("n", "x".repeat(i * 50))).build();
            ResourceSpans rs = i % 2 == 0 ? web : db;
            batch.add(rs, i == 5 ? noScope : rs.getScopeSpans(0), span);
        }
        return batch;
    }

    @Test
    void withoutASuffixTheBytesAreProtobufsOwn() {
        SpanBatch batch = fill(new SpanBatch());
        assertThat(batch.encode()).isEqualTo(batch.toRequest().toByteArray());
    }

    @Test
    void aSuffixOfAttributesIsSetOnEverySpan() throws Exception {
        List<KeyValue> stamps = List.of(Otlp.attr("tracesift.sampling.rule", "error"), Otlp.attr("other", "y"));
        byte[] suffix = new byte[0];
        for (KeyValue kv : stamps) {
            suffix = concat(suffix, Span.newBuilder().addAttributes(kv).build().toByteArray());
        }
        SpanBatch stamped = fill(new SpanBatch(suffix));
        SpanBatch plain = fill(new SpanBatch());
        ExportTraceServiceRequest.Builder expected = plain.toRequest().toBuilder();
        expected.getResourceSpansBuilderList().forEach(rs -> rs.getScopeSpansBuilderList().forEach(ss ->
                ss.getSpansBuilderList().forEach(span -> span.addAllAttributes(stamps))));
        ExportTraceServiceRequest actual = ExportTraceServiceRequest.parseFrom(stamped.encode());
        assertThat(actual).isEqualTo(expected.build());
        assertThat(actual.getResourceSpansCount()).isEqualTo(2);
        assertThat(stamped.encode().length).isLessThanOrEqualTo((int) stamped.estimatedBytes());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
