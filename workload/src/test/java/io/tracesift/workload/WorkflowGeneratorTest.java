package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowGeneratorTest {
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1_000_000L;

    private static GeneratorSettings settings() {
        return GeneratorSettings.defaults().withHugeTraces(0, 12_000);
    }

    @Test
    void sameSeedGivesByteIdenticalBatchesAndAnotherSeedDoesNot() {
        GeneratorSettings s = settings().withTraceCount(300);
        List<byte[]> first = bytes(new WorkflowGenerator(s, START));
        List<byte[]> second = bytes(new WorkflowGenerator(s, START));
        List<byte[]> other = bytes(new WorkflowGenerator(s.withSeed(43), START));
        assertThat(first).hasSameSizeAs(second);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).as("batch %d", i).isEqualTo(second.get(i));
        }
        assertThat(other.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void everyTraceHasOneRootValidParentsAndTheConventionalAttributes() {
        Map<String, Trace> traces = collect(new WorkflowGenerator(settings().withTraceCount(2000), START));
        assertThat(traces).hasSize(2000);
        for (Trace trace : traces.values()) {
            Map<ByteString, Span> byId = new HashMap<>();
            trace.spans.forEach(s -> byId.put(s.getSpanId(), s));
            assertThat(byId).as("unique span ids").hasSize(trace.spans.size());
            List<Span> roots = trace.spans.stream().filter(s -> s.getParentSpanId().isEmpty()).toList();
            assertThat(roots).as("roots of %s", trace.id).hasSize(1);
            assertThat(attr(roots.get(0), "workflow.type")).isNotNull();
            for (Span s : trace.spans) {
                assertThat(s.getTraceId()).isEqualTo(roots.get(0).getTraceId());
                if (!s.getParentSpanId().isEmpty()) {
                    assertThat(byId).as("parent of %s", s.getName()).containsKey(s.getParentSpanId());
                }
                assertThat(s.getEndTimeUnixNano()).isGreaterThanOrEqualTo(s.getStartTimeUnixNano());
                checkConventions(s, byId);
            }
            assertThat(names(trace, "invoke_agent ")).isNotEmpty();
            assertThat(names(trace, "chat ")).isNotEmpty();
            assertThat(trace.spans).anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER);
            assertThat(trace.spans).anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER);
            assertThat(trace.spans).anyMatch(s -> attr(s, "db.system.name") != null);
            assertThat(trace.tenants).containsExactly(trace.headerTenant);
        }
        assertThat(traces.values()).anyMatch(t -> !names(t, "execute_tool ").isEmpty());
        assertThat(traces.values().stream().map(t -> t.headerTenant).distinct())
                .containsExactlyInAnyOrder("acme", "globex", "initech");
    }

    @Test
    void errorShareIsNearTheConfiguredRateAndEveryFailureCarriesAnException() {
        for (double rate : new double[] {0.0, 0.1, 0.5}) {
            Map<String, Trace> traces = collect(new WorkflowGenerator(
                    settings().withErrorRate(rate).withTraceCount(3000), START));
            long failed = 0;
            for (Trace trace : traces.values()) {
                boolean anyError = trace.spans.stream()
                        .anyMatch(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
                if (anyError) {
                    failed++;
                    Span root = trace.spans.stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst()
                            .orElseThrow();
                    assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                    assertThat(trace.spans).anySatisfy(s -> assertThat(s.getEventsList()).anySatisfy(e -> {
                        assertThat(e.getName()).isEqualTo("exception");
                        assertThat(e.getAttributesList()).extracting(KeyValue::getKey)
                                .contains("exception.type", "exception.message", "exception.stacktrace");
                    }));
                }
            }
            assertThat(failed / (double) traces.size()).as("error share at rate %s", rate).isCloseTo(rate,
                    org.assertj.core.data.Offset.offset(0.025));
        }
    }

    @Test
    void benchmarkInputAveragesAboutTwentySpansOfAboutSixHundredFiftyBytes() {
        GeneratorSettings s = GeneratorSettings.defaults().withTraceCount(5000);
        long spans = 0;
        long bytes = 0;
        WorkflowGenerator generator = new WorkflowGenerator(s, START);
        while (generator.hasNext()) {
            TraceBatch batch = generator.next();
            spans += batch.spanCount();
            bytes += batch.request().getSerializedSize();
        }
        double perTrace = spans / 5000.0;
        double perSpan = bytes / (double) spans;
        System.out.printf("benchmark input: %.1f spans/trace, %.0f bytes/span%n", perTrace, perSpan);
        assertThat(perTrace).isBetween(16.0, 26.0);
        assertThat(perSpan).isBetween(550.0, 750.0);
    }

    @Test
    void longRunningWorkflowsAreEmittedOverTheirCompressedLengthWithTheRootLast() {
        GeneratorSettings s = settings().withLongRunning(1, Duration.ofMinutes(30), 60).withTraceCount(20);
        WorkflowGenerator generator = new WorkflowGenerator(s, START);
        Map<String, List<TraceBatch>> byTrace = new LinkedHashMap<>();
        long previousEmit = Long.MIN_VALUE;
        while (generator.hasNext()) {
            TraceBatch batch = generator.next();
            assertThat(batch.emitAtNanos()).isGreaterThanOrEqualTo(previousEmit);
            previousEmit = batch.emitAtNanos();
            byTrace.computeIfAbsent(batch.traceId(), k -> new ArrayList<>()).add(batch);
        }
        assertThat(byTrace).hasSize(20);
        for (List<TraceBatch> batches : byTrace.values()) {
            long spread = batches.get(batches.size() - 1).emitAtNanos() - batches.get(0).emitAtNanos();
            assertThat(batches.size()).isGreaterThan(2);
            assertThat(Duration.ofNanos(spread)).isGreaterThan(Duration.ofSeconds(25));
            TraceBatch last = batches.get(batches.size() - 1);
            Span root = spans(last).stream().filter(sp -> sp.getParentSpanId().isEmpty()).findFirst().orElseThrow();
            // idle gaps of 30 min / 60 plus at most a few seconds of real work per agent task
            assertThat(Duration.ofNanos(root.getEndTimeUnixNano() - root.getStartTimeUnixNano()))
                    .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(90));
            assertThat(last.lastOfTrace()).isTrue();
            assertThat(spans(last)).anyMatch(sp -> sp.getParentSpanId().isEmpty());
            batches.subList(0, batches.size() - 1).forEach(b -> {
                assertThat(b.lastOfTrace()).isFalse();
                assertThat(spans(b)).noneMatch(sp -> sp.getParentSpanId().isEmpty());
            });
        }
    }

    @Test
    void hugeTracesHaveOverTenThousandSpansInBoundedBatches() {
        GeneratorSettings s = settings().withHugeTraces(1, 12_000).withTraceCount(2);
        Map<String, Trace> traces = collect(new WorkflowGenerator(s, START));
        assertThat(traces).hasSize(2);
        traces.values().forEach(t -> assertThat(t.spans.size()).isGreaterThan(12_000));
        WorkflowGenerator again = new WorkflowGenerator(s, START);
        while (again.hasNext()) {
            assertThat(again.next().spanCount()).isBetween(1, s.maxSpansPerBatch());
        }
    }

    private static void checkConventions(Span s, Map<ByteString, Span> byId) {
        String op = attr(s, "gen_ai.operation.name");
        if (s.getName().startsWith("invoke_agent ")) {
            assertThat(op).isEqualTo("invoke_agent");
            assertThat(attr(s, "gen_ai.agent.name")).isNotBlank();
        } else if (s.getName().startsWith("chat ")) {
            assertThat(op).isEqualTo("chat");
            assertThat(attr(s, "gen_ai.request.model")).isEqualTo(s.getName().substring(5));
            if (s.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
                assertThat(attr(s, "gen_ai.usage.input_tokens")).isNotNull();
                assertThat(attr(s, "gen_ai.usage.output_tokens")).isNotNull();
            }
        } else if (s.getName().startsWith("execute_tool ")) {
            assertThat(op).isEqualTo("execute_tool");
            assertThat(attr(s, "gen_ai.tool.name")).isEqualTo(s.getName().substring(13));
        }
        switch (s.getKind()) {
            case SPAN_KIND_SERVER -> {
                assertThat(attr(s, "http.request.method")).isIn("GET", "POST");
                assertThat(attr(s, "url.path")).startsWith("/");
                assertThat(attr(s, "server.address")).isNotBlank();
                assertThat(attr(s, "http.response.status_code")).isIn("200", "201", "500");
            }
            case SPAN_KIND_PRODUCER -> {
                assertThat(attr(s, "messaging.system")).isEqualTo("kafka");
                assertThat(attr(s, "messaging.destination.name")).isEqualTo("agent-tasks");
            }
            case SPAN_KIND_CONSUMER -> {
                assertThat(attr(s, "messaging.system")).isEqualTo("kafka");
                assertThat(s.getLinksList()).hasSize(1);
                Span producer = byId.get(s.getLinks(0).getSpanId());
                assertThat(producer).isNotNull();
                assertThat(producer.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
            }
            case SPAN_KIND_CLIENT -> {
                if (attr(s, "db.system.name") != null) {
                    assertThat(attr(s, "db.query.text")).isNotBlank();
                } else {
                    assertThat(attr(s, "server.address")).isNotBlank();
                }
            }
            default -> { }
        }
    }

    private static List<String> names(Trace trace, String prefix) {
        return trace.spans.stream().map(Span::getName).filter(n -> n.startsWith(prefix)).toList();
    }

    static String attr(Span span, String key) {
        for (KeyValue kv : span.getAttributesList()) {
            if (kv.getKey().equals(key)) {
                return switch (kv.getValue().getValueCase()) {
                    case STRING_VALUE -> kv.getValue().getStringValue();
                    case INT_VALUE -> Long.toString(kv.getValue().getIntValue());
                    default -> kv.getValue().toString();
                };
            }
        }
        return null;
    }

    private static List<Span> spans(TraceBatch batch) {
        List<Span> result = new ArrayList<>();
        for (ResourceSpans rs : batch.request().getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                result.addAll(ss.getSpansList());
            }
        }
        return result;
    }

    private static List<byte[]> bytes(WorkflowGenerator generator) {
        List<byte[]> result = new ArrayList<>();
        while (generator.hasNext()) {
            result.add(generator.next().request().toByteArray());
        }
        return result;
    }

    private static final class Trace {
        final String id;
        final String headerTenant;
        final List<Span> spans = new ArrayList<>();
        final Set<String> tenants = new HashSet<>();

        Trace(String id, String headerTenant) {
            this.id = id;
            this.headerTenant = headerTenant;
        }
    }

    private static Map<String, Trace> collect(WorkflowGenerator generator) {
        Map<String, Trace> traces = new LinkedHashMap<>();
        while (generator.hasNext()) {
            TraceBatch batch = generator.next();
            Trace trace = traces.computeIfAbsent(batch.traceId(), id -> new Trace(id, batch.tenant()));
            for (ResourceSpans rs : batch.request().getResourceSpansList()) {
                rs.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals("tenant.id"))
                        .forEach(kv -> trace.tenants.add(kv.getValue().getStringValue()));
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    trace.spans.addAll(ss.getSpansList());
                }
            }
            assertThat(spans(batch)).hasSize(batch.spanCount());
        }
        return traces;
    }
}
