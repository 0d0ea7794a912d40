package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.OtlpEncoding;

import com.google.protobuf.ByteString;

import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.KEPT_BY_CHANCE;
import static io.tracesift.topology.Otlp.attribute;
import static io.tracesift.topology.Otlp.hex;
import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.spansOf;
import static io.tracesift.topology.Otlp.traceId;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

class TracesiftTopologyTest {

    private static List<Long> spanIds(List<Span> spans) {
        return spans.stream().map(s -> s.getSpanId().asReadOnlyByteBuffer().getLong()).sorted().toList();
    }

    @Test
    void rootFirstIsDecidedSendDelayAfterTheRootArrivedWithEveryLaterSpan() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(1, KEPT_BY_CHANCE);
            f.send("acme", request("checkout", span(trace, 1, 0, T0, T0 + 100, false)));
            f.advance(Duration.ofMillis(1500));
            f.send("acme", request("payments", span(trace, 2, 1, T0 + 10, T0 + 50, false)));
            f.advance(Duration.ofMillis(400));
            assertThat(f.output("acme")).isEmpty();

            f.advance(Duration.ofMillis(600));

            List<TestRecord<String, byte[]>> out = f.output("acme");
            assertThat(out).hasSize(1);
            assertThat(out.get(0).key()).isEqualTo(hex(trace)).hasSize(32);
            ExportTraceServiceRequest emitted = TopologyFixture.parse(out.get(0).value());
            assertThat(emitted.getResourceSpansCount()).as("one ResourceSpans per distinct resource").isEqualTo(2);
            List<Span> spans = spansOf(List.of(emitted));
            assertThat(spanIds(spans)).containsExactly(1L, 2L);
            assertThat(spans).allSatisfy(s -> {
                assertThat(attribute(s, TracesiftTopology.RULE_ATTRIBUTE).getStringValue()).isEqualTo("probabilistic");
                assertThat(attribute(s, TracesiftTopology.RATE_ATTRIBUTE).getIntValue()).isEqualTo(10);
            });
            assertThat(f.ensuredTenants).extracting(Object::toString).containsExactly("acme");
            assertThat(f.counters.keptByRule()).containsEntry("probabilistic", 1L);
        }
    }

    @Test
    void rootLastKeepsTheTraceOpenUntilTheRootArrivesThenWaitsTheSendDelay() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(2, DROPPED_BY_CHANCE);
            for (int i = 2; i <= 5; i++) {
                f.send("acme", request("worker", span(trace, i, 1, T0, T0 + 10, false)));
                f.advance(Duration.ofMinutes(10));
            }
            assertThat(f.output("acme")).isEmpty();
            // The root lasted 3 s: the slow rule keeps it, proving all children were still there.
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 3_000, false)));
            f.advance(Duration.ofMillis(1500));
            assertThat(f.output("acme")).isEmpty();
            f.advance(Duration.ofMillis(1000));

            List<ExportTraceServiceRequest> out = f.outputRequests("acme");
            assertThat(out).hasSize(1);
            assertThat(spanIds(spansOf(out))).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(attribute(spansOf(out).get(0), TracesiftTopology.RULE_ATTRIBUTE).getStringValue()).isEqualTo("slow");
        }
    }

    @Test
    void traceWithoutRootIsDecidedAtMaxTraceAgeSinceItsFirstSpan() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(3, DROPPED_BY_CHANCE);
            f.send("acme", request("worker", span(trace, 2, 1, T0, T0 + 10, true)));
            f.advance(Duration.ofMinutes(30));
            f.send("acme", request("worker", span(trace, 3, 1, T0, T0 + 10, false)));
            f.advance(Duration.ofMinutes(29).plusSeconds(59));
            assertThat(f.output("acme")).isEmpty();
            assertThat(f.counters.openTraces()).isEqualTo(1);

            f.advance(Duration.ofSeconds(2));

            List<ExportTraceServiceRequest> out = f.outputRequests("acme");
            assertThat(out).hasSize(1);
            assertThat(spanIds(spansOf(out))).containsExactly(2L, 3L);
            assertThat(f.counters.keptByRule()).containsEntry("error", 1L);
            assertThat(f.counters.openTraces()).isZero();
        }
    }

    @Test
    void lateSpansOfAKeptTraceAreForwardedWithTheDecision() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(4, DROPPED_BY_CHANCE);
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));
            assertThat(f.output("acme")).hasSize(1);

            f.advance(Duration.ofMinutes(90));
            f.send("acme", request("api", span(trace, 7, 1, T0, T0 + 10, false)));

            List<TestRecord<String, byte[]>> out = f.output("acme");
            assertThat(out).hasSize(2);
            assertThat(TopologyFixture.header(out.get(1), TracesiftTopology.LATE_HEADER)).isEqualTo("true");
            Span late = spansOf(List.of(TopologyFixture.parse(out.get(1).value()))).get(0);
            assertThat(spanIds(List.of(late))).containsExactly(7L);
            assertThat(attribute(late, TracesiftTopology.RULE_ATTRIBUTE).getStringValue()).isEqualTo("error");
            assertThat(f.counters.lateSpansKept()).isEqualTo(1);
        }
    }

    @Test
    void lateSpansOfADroppedTraceAreDroppedAndCounted() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(5, DROPPED_BY_CHANCE);
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(3));
            // An error arriving after the decision does not resurrect the trace.
            f.send("acme", request("api", span(trace, 2, 1, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));

            assertThat(f.output("acme")).isEmpty();
            assertThat(f.counters.droppedByRule()).containsEntry("probabilistic", 1L);
            assertThat(f.counters.lateSpansDropped()).isEqualTo(1);
        }
    }

    @Test
    void afterTheDecisionTtlASpanStartsANewTrace() {
        try (TopologyFixture f = new TopologyFixture(Map.of("assembly", Map.of("decision-ttl", "10m")))) {
            ByteString trace = traceId(6, DROPPED_BY_CHANCE);
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, false)));
            f.advance(Duration.ofMinutes(11));
            f.send("acme", request("api", span(trace, 2, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));

            assertThat(spanIds(spansOf(f.outputRequests("acme")))).containsExactly(2L);
            assertThat(f.counters.lateSpansDropped()).isZero();
        }
    }

    @Test
    void anErrorInTheLastSpanOfAThirtyMinuteTraceWithSixMinuteGapsKeepsTheWholeTraceInOneDecision() {
        try (TopologyFixture f = new TopologyFixture(Map.of("assembly", Map.of("idle-timeout", "10m")))) {
            ByteString trace = traceId(7, DROPPED_BY_CHANCE);
            long start = T0;
            for (int step = 1; step <= 5; step++) {
                long at = start + step * 60_000L;
                f.send("acme", request("agent", span(trace, step + 1, 1, at, at + 1_000, false)));
                f.advance(Duration.ofMinutes(6));
                assertThat(f.output("acme")).as("still open after step %d", step).isEmpty();
            }
            f.send("acme", request("agent", span(trace, 1, 0, start, start + 30 * 60_000L, true)));
            f.advance(Duration.ofSeconds(3));

            List<ExportTraceServiceRequest> out = f.outputRequests("acme");
            assertThat(out).hasSize(1);
            assertThat(spanIds(spansOf(out))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(f.counters.keptByRule()).containsOnlyKeys("error").containsEntry("error", 1L);
            assertThat(f.counters.droppedByRule()).isEmpty();
        }
    }

    @Test
    void idleTimeoutClosesARootlessTraceAfterItsLastSpan() {
        try (TopologyFixture f = new TopologyFixture(Map.of("assembly", Map.of("idle-timeout", "5m")))) {
            ByteString trace = traceId(8, DROPPED_BY_CHANCE);
            f.send("acme", request("agent", span(trace, 2, 1, T0, T0 + 10, true)));
            f.advance(Duration.ofMinutes(4));
            f.send("acme", request("agent", span(trace, 3, 1, T0, T0 + 10, false)));
            f.advance(Duration.ofMinutes(4));
            assertThat(f.output("acme")).isEmpty();
            f.advance(Duration.ofMinutes(2));

            assertThat(spanIds(spansOf(f.outputRequests("acme")))).containsExactly(2L, 3L);
        }
    }

    @Test
    void aTraceOfTenThousandAndOneSpansIsTruncatedAndMarked() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(9, DROPPED_BY_CHANCE);
            List<Span> spans = new ArrayList<>();
            spans.add(span(trace, 1, 0, T0, T0 + 5_000, false));
            for (int i = 2; i <= 10_001; i++) {
                spans.add(span(trace, i, 1, T0, T0 + 1, false));
            }
            f.send("acme", request(Map.of("service.name", "big"), spans.subList(0, 6_000)));
            f.send("acme", request(Map.of("service.name", "big"), spans.subList(6_000, 10_001)));
            f.advance(Duration.ofSeconds(3));

            List<Span> out = spansOf(f.outputRequests("acme"));
            assertThat(out).hasSize(10_000);
            assertThat(spanIds(out)).doesNotHaveDuplicates().doesNotContain(10_001L);
            assertThat(out).allSatisfy(s -> {
                assertThat(attribute(s, TracesiftTopology.TRUNCATED_ATTRIBUTE).getBoolValue()).isTrue();
                assertThat(attribute(s, TracesiftTopology.DROPPED_SPANS_ATTRIBUTE).getIntValue()).isEqualTo(1);
            });
            assertThat(f.counters.truncatedSpans()).isEqualTo(1);
        }
    }

    @Test
    void aTraceLargerThanTheMaximumRecordIsSplitIntoChunksNeverDropped() {
        try (TopologyFixture f = new TopologyFixture(Map.of("output", Map.of("max-record-bytes", 4096)))) {
            ByteString trace = traceId(10, DROPPED_BY_CHANCE);
            List<Span> spans = new ArrayList<>();
            spans.add(span(trace, 1, 0, T0, T0 + 10, true));
            for (int i = 2; i <= 300; i++) {
                spans.add(span(trace, i, 1, T0, T0 + 1, false));
            }
            f.send("acme", request(Map.of("service.name", "chatty"), spans));
            f.advance(Duration.ofSeconds(3));

            List<TestRecord<String, byte[]>> out = f.output("acme");
            assertThat(out.size()).isGreaterThan(1);
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).value().length).isLessThanOrEqualTo(4096);
                assertThat(out.get(i).key()).isEqualTo(hex(trace));
                assertThat(TopologyFixture.header(out.get(i), TracesiftTopology.CHUNK_INDEX_HEADER)).isEqualTo(Integer.toString(i));
                assertThat(TopologyFixture.header(out.get(i), TracesiftTopology.CHUNK_COUNT_HEADER)).isEqualTo(Integer.toString(out.size()));
            }
            List<Span> all = spansOf(f.outputRequests("acme"));
            assertThat(spanIds(all)).hasSize(300).doesNotHaveDuplicates();
        }
    }

    @Test
    void theSameTraceIdInTwoTenantsIsTwoTraces() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(11, DROPPED_BY_CHANCE);
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, true)));
            f.send("globex", request("api", span(trace, 1, 0, T0, T0 + 10, false), span(trace, 2, 1, T0, T0 + 5, true)));
            f.send("initech", request("api", span(trace, 1, 0, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(3));

            assertThat(spanIds(spansOf(f.outputRequests("acme")))).containsExactly(1L);
            assertThat(spanIds(spansOf(f.outputRequests("globex")))).containsExactly(1L, 2L);
            assertThat(f.output("initech")).isEmpty();
            assertThat(f.counters.keptByRule()).containsEntry("error", 2L);
            assertThat(f.counters.droppedByRule()).containsEntry("probabilistic", 1L);
        }
    }

    @Test
    void tenantFromTheResourceAttributeWhenNoHeaderIsPresent() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(12, KEPT_BY_CHANCE);
            f.send(null, request(Map.of("service.name", "api", "tenant.id", "umbrella"),
                    List.of(span(trace, 1, 0, T0, T0 + 10, false))));
            f.advance(Duration.ofSeconds(3));

            assertThat(f.output("umbrella")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "skip-repartition {0}")
    @ValueSource(booleans = {false, true})
    void theRepartitionStepExistsUnlessSkippedAndBothRoutesAssembleWholeTraces(boolean skip) {
        Map<String, Object> config = Map.of("assembly", Map.of("skip-repartition", skip));
        List<String> problems = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        TracesiftTopology.build(builder, TopologySettings.fromConfig(config, problems), t -> { }, new PipelineCounters());
        assertThat(builder.build().describe().toString().contains(TracesiftTopology.REPARTITION + "-repartition"))
                .isEqualTo(!skip);

        try (TopologyFixture f = new TopologyFixture(config)) {
            ByteString trace = traceId(13, DROPPED_BY_CHANCE);
            f.send("acme", request("api", span(trace, 2, 1, T0, T0 + 10, false)));
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, true)));
            f.advance(Duration.ofSeconds(3));
            assertThat(spanIds(spansOf(f.outputRequests("acme")))).containsExactly(1L, 2L);
            // The first group goes through the topic, which tells ingest its partition count (one here); the second
            // is then known to be on its trace's partition and joins the assembly directly, in the same trace.
            assertThat(f.counters.spanGroupsByRoute()).isEqualTo(skip
                    ? Map.of("local", 0L, "repartition", 0L) : Map.of("local", 1L, "repartition", 1L));
        }
    }

    @Test
    void secretsAreRedactedBeforeTheyAreStoredOrEmitted() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(14, KEPT_BY_CHANCE);
            Span withSecret = span(trace, 1, 0, T0, T0 + 10, false).toBuilder()
                    .addAttributes(Otlp.attr("db.password", "hunter2")).build();
            f.send("acme", request("api", withSecret));
            f.advance(Duration.ofSeconds(3));

            Span emitted = spansOf(f.outputRequests("acme")).get(0);
            assertThat(attribute(emitted, "db.password").getStringValue()).isEqualTo("[REDACTED]");
            assertThat(f.counters.redactionsByRule()).containsEntry("deny-key", 1L);
        }
    }

    @Test
    void otlpJsonInputIsAssembledLikeProtobufAndEmittedAsProtobuf() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(15, DROPPED_BY_CHANCE);
            f.sendRaw("acme", OtlpEncoding.OTLP_JSON.encode(request("api", span(trace, 2, 1, T0, T0 + 10, true))));
            f.send("acme", request("api", span(trace, 1, 0, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(3));

            assertThat(spanIds(spansOf(f.outputRequests("acme")))).containsExactly(1L, 2L);
        }
    }

    @Test
    void dueTracesAreDecidedInCappedBatchesPerPunctuation() {
        Map<String, Object> config = Map.of("assembly", Map.of("decide-batch", 2, "punctuate-interval", "500ms"));
        try (TopologyFixture f = new TopologyFixture(config)) {
            for (int i = 0; i < 5; i++) {
                f.send("acme", request("api", span(traceId(30 + i, DROPPED_BY_CHANCE), 1, 0, T0, T0 + 10, true)));
            }
            f.advance(Duration.ofMillis(1999));
            assertThat(f.output("acme")).isEmpty();
            f.advance(Duration.ofMillis(1));
            assertThat(f.output("acme")).hasSize(2);
            f.advance(Duration.ofMillis(500));
            assertThat(f.output("acme")).hasSize(4);
            f.advance(Duration.ofMillis(500));
            assertThat(f.output("acme")).hasSize(5);
            assertThat(f.counters.openTraces()).isZero();
        }
    }
}
