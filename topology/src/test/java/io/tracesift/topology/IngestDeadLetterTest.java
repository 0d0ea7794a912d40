package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.tenantrouting.TenantResolution;

import com.google.protobuf.ByteString;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.tracesift.topology.Otlp.KEPT_BY_CHANCE;
import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.spanId;
import static io.tracesift.topology.Otlp.spansOf;
import static io.tracesift.topology.Otlp.traceId;
import static io.tracesift.topology.TopologyFixture.T0;
import static io.tracesift.topology.TopologyFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

class IngestDeadLetterTest {
    private static final ByteString TRACE = traceId(100, KEPT_BY_CHANCE);
    private static final long DAY_MS = 86_400_000L;

    @Test
    void anUndecodableRecordGoesToTheDlqWithItsSourceAndTheStreamContinues() {
        try (TopologyFixture f = new TopologyFixture()) {
            byte[] garbage = "\u0008\u00ff\u00ff not a protobuf".getBytes(StandardCharsets.ISO_8859_1);
            f.sendRaw("acme", garbage);
            f.send("acme", request("api", span(TRACE, 1, 0, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(3));

            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertThat(dlq).hasSize(1);
            TestRecord<byte[], byte[]> dead = dlq.get(0);
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(header(dead, DeadLetter.REASON)).isEqualTo("undecodable-protobuf");
            assertThat(header(dead, DeadLetter.DETAIL)).isNotBlank();
            assertThat(header(dead, DeadLetter.SOURCE_TOPIC)).isEqualTo("otlp_spans");
            assertThat(header(dead, DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(dead, DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(dead, "X-Scope-OrgID")).as("source headers are kept").isEqualTo("acme");
            assertThat(f.output("acme")).hasSize(1);
            assertThat(f.counters.deadLettersByReason()).containsEntry("undecodable-protobuf", 1L);
        }
    }

    static Stream<Arguments> badSpans() {
        UnaryOperator<Span> shortTraceId = s -> s.toBuilder().setTraceId(ByteString.copyFrom(new byte[8])).build();
        UnaryOperator<Span> zeroTraceId = s -> s.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        UnaryOperator<Span> longSpanId = s -> s.toBuilder().setSpanId(ByteString.copyFrom(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9})).build();
        UnaryOperator<Span> zeroSpanId = s -> s.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build();
        UnaryOperator<Span> oddParent = s -> s.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[]{1, 2, 3})).build();
        UnaryOperator<Span> farPast = s -> s.toBuilder().setStartTimeUnixNano((T0 - 30 * DAY_MS) * 1_000_000L).build();
        UnaryOperator<Span> farFuture = s -> s.toBuilder().setEndTimeUnixNano((T0 + 30 * DAY_MS) * 1_000_000L).build();
        UnaryOperator<Span> zeroStart = s -> s.toBuilder().setStartTimeUnixNano(0).build();
        UnaryOperator<Span> endBeforeStart = s -> s.toBuilder().setEndTimeUnixNano(s.getStartTimeUnixNano() - 1).build();
        return Stream.of(
                Arguments.of("8-byte trace id", shortTraceId, DeadLetter.INVALID_TRACE_ID),
                Arguments.of("all-zero trace id", zeroTraceId, DeadLetter.INVALID_TRACE_ID),
                Arguments.of("9-byte span id", longSpanId, DeadLetter.INVALID_SPAN_ID),
                Arguments.of("all-zero span id", zeroSpanId, DeadLetter.INVALID_SPAN_ID),
                Arguments.of("3-byte parent id", oddParent, DeadLetter.INVALID_PARENT_SPAN_ID),
                Arguments.of("start 30 days ago", farPast, DeadLetter.INVALID_TIMESTAMP),
                Arguments.of("end in 30 days", farFuture, DeadLetter.INVALID_TIMESTAMP),
                Arguments.of("start at the epoch", zeroStart, DeadLetter.INVALID_TIMESTAMP),
                Arguments.of("end before start", endBeforeStart, DeadLetter.INVALID_TIMESTAMP));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badSpans")
    void anInvalidSpanGoesToTheDlqWhileItsValidNeighboursAreAssembled(String what, UnaryOperator<Span> spoil, String reason) {
        try (TopologyFixture f = new TopologyFixture()) {
            Span good = span(TRACE, 1, 0, T0, T0 + 10, false);
            Span bad = spoil.apply(span(TRACE, 2, 1, T0, T0 + 10, false));
            f.send("acme", request("api", good, bad));
            f.advance(Duration.ofSeconds(3));

            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertThat(dlq).hasSize(1);
            assertThat(header(dlq.get(0), DeadLetter.REASON)).isEqualTo(reason);
            List<Span> rejected = spansOf(List.of(TopologyFixture.parse(dlq.get(0).value())));
            assertThat(rejected).containsExactly(bad);
            assertThat(spansOf(f.outputRequests("acme"))).extracting(Span::getSpanId).containsExactly(spanId(1));
            assertThat(f.counters.deadLettersByReason()).containsEntry(reason, 1L);
        }
    }

    @Test
    void spansWithoutTenantGoToTheDlqAndNeverIntoAnotherTenant() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.send(null, request("api", span(TRACE, 1, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));

            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertThat(dlq).hasSize(1);
            assertThat(header(dlq.get(0), DeadLetter.REASON)).isEqualTo(TenantResolution.MISSING_TENANT);
            assertThat(spansOf(List.of(TopologyFixture.parse(dlq.get(0).value())))).hasSize(1);
            assertThat(f.counters.openTraces()).isZero();
            assertThat(f.ensuredTenants).isEmpty();
        }
    }

    static Stream<Arguments> tenantAttributesThatAreNoTenantId() {
        KeyValue acme = KeyValue.newBuilder().setKey("tenant.id").setValue(AnyValue.newBuilder().setStringValue("acme")).build();
        KeyValue globex = acme.toBuilder().setValue(AnyValue.newBuilder().setStringValue("globex")).build();
        KeyValue number = acme.toBuilder().setValue(AnyValue.newBuilder().setIntValue(7)).build();
        KeyValue bytes = acme.toBuilder().setValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("acme"))).build();
        KeyValue empty = acme.toBuilder().clearValue().build();
        return Stream.of(
                Arguments.of("an int", List.of(number), "<int_value>"),
                Arguments.of("bytes", List.of(bytes), "<bytes_value>"),
                Arguments.of("no value", List.of(empty), "<value_not_set>"),
                Arguments.of("two different values", List.of(acme, globex), "given twice"));
    }

    /** With the header naming a tenant and a default tenant configured, neither may stand in for a bad attribute. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tenantAttributesThatAreNoTenantId")
    void aTenantAttributeThatIsNoTenantIdIsRejectedNotIgnored(String what, List<KeyValue> attributes, String detail) {
        try (TopologyFixture f = new TopologyFixture(Map.of("tenancy", Map.of("default-tenant", "shared")))) {
            ResourceSpans rs = Otlp.resourceSpans(Map.of("service.name", "api"), List.of(span(TRACE, 1, 0, T0, T0 + 10, true)));
            rs = rs.toBuilder().setResource(rs.getResource().toBuilder().addAllAttributes(attributes)).build();
            f.send("acme", ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build());
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(header(dead, DeadLetter.REASON)).isEqualTo(TenantResolution.INVALID_TENANT);
                assertThat(header(dead, DeadLetter.DETAIL)).contains(detail);
            });
            assertThat(f.ensuredTenants).isEmpty();
        }
    }

    @Test
    void aTenantAttributeGivenTwiceWithTheSameValueIsThatTenant() {
        try (TopologyFixture f = new TopologyFixture()) {
            ResourceSpans rs = Otlp.resourceSpans(Map.of("service.name", "api", "tenant.id", "acme"),
                    List.of(span(TRACE, 1, 0, T0, T0 + 10, true)));
            rs = rs.toBuilder().setResource(rs.getResource().toBuilder().addAttributes(KeyValue.newBuilder().setKey("tenant.id")
                    .setValue(AnyValue.newBuilder().setStringValue("acme")))).build();
            f.send("acme", ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build());
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).isEmpty();
            assertThat(f.output("acme")).hasSize(1);
        }
    }

    @Test
    void aConfiguredDefaultTenantTakesSpansWithoutTenant() {
        try (TopologyFixture f = new TopologyFixture(Map.of("tenancy", Map.of("default-tenant", "shared")))) {
            f.send(null, request("api", span(TRACE, 1, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).isEmpty();
            assertThat(f.output("shared")).hasSize(1);
        }
    }

    @Test
    void anInvalidTenantIdIsRejected() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.send("../etc", request("api", span(TRACE, 1, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).extracting(r -> header(r, DeadLetter.REASON))
                    .containsExactly(TenantResolution.INVALID_TENANT);
        }
    }

    @Test
    void aSpanTooLargeForAnyOutputRecordGoesToTheDlq() {
        try (TopologyFixture f = new TopologyFixture(Map.of("output", Map.of("max-record-bytes", 2048)))) {
            Span huge = span(TRACE, 2, 1, T0, T0 + 10, false).toBuilder()
                    .addAttributes(Otlp.attr("prompt", "x".repeat(4000))).build();
            f.send("acme", request("api", span(TRACE, 1, 0, T0, T0 + 10, false), huge));
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).extracting(r -> header(r, DeadLetter.REASON)).containsExactly(DeadLetter.SPAN_TOO_LARGE);
            assertThat(spansOf(f.outputRequests("acme"))).extracting(Span::getSpanId).containsExactly(spanId(1));
        }
    }

    @Test
    void aSpanThatRedactionGrowsPastTheLimitGoesToTheDlqThoughItsRecordWasSmall() {
        try (TopologyFixture f = new TopologyFixture(Map.of("output", Map.of("max-record-bytes", 2048)))) {
            Span.Builder secrets = span(TRACE, 2, 1, T0, T0 + 10, false).toBuilder();
            for (int i = 0; i < 80; i++) {
                secrets.addAttributes(Otlp.attr("password", "x")); // each value grows to "[REDACTED]"
            }
            ExportTraceServiceRequest small = request("api", span(TRACE, 1, 0, T0, T0 + 10, false), secrets.build());
            // Small enough that, unredacted, none of its spans could be too large.
            assertThat(OutputBatch.costBound(small.getSerializedSize()) + 256).isLessThanOrEqualTo(2048);
            f.send("acme", small);
            f.advance(Duration.ofSeconds(3));

            assertThat(f.deadLetters()).extracting(r -> header(r, DeadLetter.REASON)).containsExactly(DeadLetter.SPAN_TOO_LARGE);
            assertThat(spansOf(f.outputRequests("acme"))).extracting(Span::getSpanId).containsExactly(spanId(1));
        }
    }
}
