package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import io.tracesift.serdes.RequestScanner;
import io.tracesift.serdes.ScannedSpan;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored spans copied into an output batch give the request protobuf would encode for the same spans grouped by
 * resource and scope, with and without fields appended to every span.
 */
class OutputBatchTest {
    private final ByteString trace = Otlp.traceId(1, DROPPED_BY_CHANCE);
    private final ResourceSpans web = withScope(Otlp.resourceSpans(Map.of("service.name", "web"), List.of()), "http", "");
    private final ResourceSpans db = withScope(Otlp.resourceSpans(Map.of("service.name", "db"), List.of()), "sql", "https://opentelemetry.io/schemas/1.26.0")
            .toBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.24.0").build();
    private final ScopeSpans noScope = ScopeSpans.getDefaultInstance();

    private static ResourceSpans withScope(ResourceSpans rs, String scope, String schemaUrl) {
        return rs.toBuilder().clearScopeSpans().addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope).setVersion("1.0")).setSchemaUrl(schemaUrl)).build();
    }

    /** Six spans of two resources and three scopes, interleaved, each as protobuf groups it (the expectation). */
    private final SpanBatch expected = new SpanBatch();
    /** The same spans as scanned from six single-span stored requests. */
    private final List<ScannedSpan> stored = new ArrayList<>();

    OutputBatchTest() throws Exception {
        for (int i = 1; i <= 6; i++) {
            Span span = Otlp.span(trace, i, i == 1 ? 0 : 1, T0 - 100, T0, i == 4).toBuilder()
                    .addAttributes(Otlp.attr("n", "x".repeat(i * 50))).build();
            ResourceSpans rs = i % 2 == 0 ? web : db;
            ScopeSpans ss = i == 5 ? noScope : rs.getScopeSpans(0);
            expected.add(rs, ss, span);
            SpanBatch single = new SpanBatch();
            single.add(rs, ss, span);
            byte[] bytes = single.toRequest().toByteArray();
            stored.addAll(RequestScanner.scan(bytes, 0, bytes.length));
        }
    }

    private OutputBatch fill(OutputBatch batch) {
        stored.forEach(batch::add);
        return batch;
    }

    @Test
    void withoutASuffixTheBytesAreProtobufsOwn() {
        OutputBatch batch = fill(new OutputBatch(new byte[0]));
        byte[] encoded = batch.encode();
        assertThat(encoded).isEqualTo(expected.toRequest().toByteArray());
        assertThat(encoded.length).isLessThanOrEqualTo((int) batch.estimatedBytes());
    }

    @Test
    void aSuffixOfAttributesIsSetOnEverySpan() throws Exception {
        List<KeyValue> stamps = List.of(Otlp.attr("tracesift.sampling.rule", "error"), Otlp.attr("other", "y"));
        byte[] suffix = new byte[0];
        for (KeyValue kv : stamps) {
            suffix = concat(suffix, Span.newBuilder().addAttributes(kv).build().toByteArray());
        }
        OutputBatch stamped = fill(new OutputBatch(suffix));
        ExportTraceServiceRequest.Builder want = expected.toRequest().toBuilder();
        want.getResourceSpansBuilderList().forEach(rs -> rs.getScopeSpansBuilderList().forEach(ss ->
                ss.getSpansBuilderList().forEach(span -> span.addAllAttributes(stamps))));
        ExportTraceServiceRequest actual = ExportTraceServiceRequest.parseFrom(stamped.encode());
        assertThat(actual).isEqualTo(want.build());
        assertThat(actual.getResourceSpansCount()).isEqualTo(2);
        assertThat(stamped.encode().length).isLessThanOrEqualTo((int) stamped.estimatedBytes());
    }

    @Test
    void theCostOfADecodedSpanBoundsWhatItAddsToAnEmptyBatch() throws Exception {
        for (ScannedSpan span : stored) {
            OutputBatch one = new OutputBatch(new byte[0]);
            one.add(span);
            assertThat(one.costOf(span)).isEqualTo(one.estimatedBytes());
            assertThat((long) one.encode().length).isLessThanOrEqualTo(one.estimatedBytes());
        }
        ResourceSpans rs = db;
        Span span = Otlp.span(trace, 9, 1, T0 - 100, T0, false);
        OutputBatch one = new OutputBatch(new byte[0]);
        SpanBatch single = new SpanBatch();
        single.add(rs, rs.getScopeSpans(0), span);
        byte[] bytes = single.toRequest().toByteArray();
        one.add(RequestScanner.scan(bytes, 0, bytes.length).get(0));
        assertThat(OutputBatch.costOf(rs, rs.getScopeSpans(0), span)).isEqualTo(one.estimatedBytes());
    }

    @Test
    void spansOfSeveralStoredGroupsWithEqualOriginsShareTheirResourceAndScope() throws Exception {
        SpanBatch want = new SpanBatch();
        OutputBatch batch = new OutputBatch(new byte[0]);
        for (int group = 0; group < 3; group++) {
            SpanBatch stored = new SpanBatch();
            for (int i = 1; i <= 4; i++) {
                ResourceSpans rs = (group + i) % 2 == 0 ? web : db;
                Span span = Otlp.span(trace, group * 10 + i, 1, T0 - 100, T0, false);
                stored.add(rs, rs.getScopeSpans(0), span);
            }
            byte[] bytes = stored.toRequest().toByteArray();
            for (ScannedSpan span : RequestScanner.scan(bytes, 0, bytes.length)) {
                batch.add(span);
                ResourceSpans rs = span.resource().schemaUrl().isEmpty() ? web : db;
                want.add(rs, rs.getScopeSpans(0),
                        Span.parseFrom(java.util.Arrays.copyOfRange(span.buf(), span.offset(), span.offset() + span.length())));
            }
        }
        assertThat(ExportTraceServiceRequest.parseFrom(batch.encode())).isEqualTo(want.toRequest());
        assertThat(want.toRequest().getResourceSpansCount()).isEqualTo(2);
    }

    @Test
    void noSpanCostsMoreThanTheBoundOfTheSmallestRequestHoldingIt() {
        for (ResourceSpans rs : expected.toRequest().getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    SpanBatch alone = new SpanBatch();
                    alone.add(rs, ss, span);
                    assertThat(OutputBatch.costOf(rs, ss, span))
                            .isLessThanOrEqualTo(OutputBatch.costBound(alone.toRequest().getSerializedSize()));
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
