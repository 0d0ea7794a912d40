package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class AgentMetricsTest {
    static final double[] BUCKETS = {0.05, 0.5, 5};

    /** The series one span leaves in a store. */
    static Map<SeriesKey, SeriesValue> recorded(String workflowAttribute, SpanSample s) {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = new SeriesAccumulator(store, 100);
        new AgentMetrics(workflowAttribute, BUCKETS, acc).record(s, ExemplarSource.of(s), 0);
        acc.flush();
        return store.series();
    }

    static Map<SeriesKey, SeriesValue> recorded(SpanSample s) {
        return recorded("workflow.type", s);
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.of("agent", span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "invoke_agent").attr("gen_ai.agent.name", "planner"),
                        SeriesKey.of("acme", "tracesift_agent_invocations_total", "service", "checkout", "gen_ai_agent_name", "planner", "outcome", "ok")),
                Arguments.of("agent without name, failed", span().parent("00f067aa0ba902b7").status(2).attr("gen_ai.operation.name", "invoke_agent"),
                        SeriesKey.of("acme", "tracesift_agent_invocations_total", "service", "checkout", "gen_ai_agent_name", "unknown_agent", "outcome", "error")),
                Arguments.of("tool", span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "execute_tool").attr("gen_ai.tool.name", "search"),
                        SeriesKey.of("acme", "tracesift_agent_tool_calls_total", "service", "checkout", "gen_ai_tool_name", "search", "outcome", "ok")),
                Arguments.of("tool without name", span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "execute_tool"),
                        SeriesKey.of("acme", "tracesift_agent_tool_calls_total", "service", "checkout", "gen_ai_tool_name", "unknown_tool", "outcome", "ok")),
                Arguments.of("chat", span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "chat").attr("gen_ai.request.model", "gpt-4o"),
                        SeriesKey.of("acme", "tracesift_agent_model_calls_total", "service", "checkout", "gen_ai_operation_name", "chat",
                                "gen_ai_request_model", "gpt-4o", "outcome", "ok")),
                Arguments.of("embeddings without model", span().parent("00f067aa0ba902b7").status(2).attr("gen_ai.operation.name", "embeddings"),
                        SeriesKey.of("acme", "tracesift_agent_model_calls_total", "service", "checkout", "gen_ai_operation_name", "embeddings",
                                "gen_ai_request_model", "unknown_model", "outcome", "error")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void eachOperationCountsOnceAndObservesItsDuration(String why, TestSpans span, SeriesKey counter) {
        Map<SeriesKey, SeriesValue> out = recorded(span.durationMillis(300).build());
        String histogram = counter.family().replace("invocations_total", "invocation_duration_seconds")
                .replace("calls_total", "call_duration_seconds");
        assertThat(out).isEqualTo(Map.of(counter, CounterValue.ONE,
                new SeriesKey("acme", histogram, counter.labels()), HistogramValue.single(BUCKETS, 0.3, null)));
    }

    static Stream<Arguments> notGenAi() {
        return Stream.of(
                Arguments.of("plain span", span().parent("00f067aa0ba902b7")),
                Arguments.of("unknown operation", span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "create_agent")),
                Arguments.of("root without workflow attribute", span()),
                Arguments.of("workflow attribute on a child span", span().parent("00f067aa0ba902b7").attr("workflow.type", "refund")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notGenAi")
    void otherSpansAddNothing(String why, TestSpans span) {
        assertThat(recorded(span.build())).isEmpty();
    }

    @Test
    void modelCallsRecordTokenUsageByType() {
        Map<SeriesKey, SeriesValue> out = recorded(span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.request.model", "gpt-4o").attr("gen_ai.usage.input_tokens", 120L).attr("gen_ai.usage.output_tokens", "42").build());
        assertThat(out).hasSize(4);
        String[] labels = {"service", "checkout", "gen_ai_operation_name", "chat", "gen_ai_request_model", "gpt-4o", "gen_ai_token_type"};
        HistogramValue input = (HistogramValue) out.get(SeriesKey.of("acme", "gen_ai_client_token_usage", append(labels, "input")));
        HistogramValue output = (HistogramValue) out.get(SeriesKey.of("acme", "gen_ai_client_token_usage", append(labels, "output")));
        assertThat(input.sum()).isEqualTo(120);
        assertThat(input.bucketCounts()[4]).isEqualTo(1); // 64 < 120 <= 256
        assertThat(input.exemplar()).isNull();
        assertThat(output.sum()).isEqualTo(42);
    }

    private static String[] append(String[] labels, String last) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 1);
        out[labels.length] = last;
        return out;
    }

    @ParameterizedTest(name = "tokens {0} are ignored")
    @MethodSource("badTokens")
    void unusableTokenCountsAreIgnored(Object tokens) {
        Map<SeriesKey, SeriesValue> out = recorded(span().parent("00f067aa0ba902b7").attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.usage.input_tokens", tokens).build());
        assertThat(out.keySet()).extracting(SeriesKey::family).doesNotContain("gen_ai_client_token_usage");
    }

    static Stream<Object> badTokens() {
        return Stream.of(-1L, "many", 2.5, -3.0, true);
    }

    @Test
    void rootSpansWithTheWorkflowAttributeAreWorkflowRuns() {
        Map<SeriesKey, SeriesValue> ok = recorded(span().attr("workflow.type", "refund").durationMillis(4000).build());
        Map<SeriesKey, SeriesValue> failed = recorded(span().status(2).attr("workflow.type", "refund").build());
        assertThat(ok).isEqualTo(Map.of(
                SeriesKey.of("acme", "tracesift_workflow_runs_total", "workflow_type", "refund", "outcome", "ok"), CounterValue.ONE,
                SeriesKey.of("acme", "tracesift_workflow_run_duration_seconds", "workflow_type", "refund", "outcome", "ok"),
                HistogramValue.single(BUCKETS, 4.0, null)));
        assertThat(failed.keySet()).extracting(k -> k.label("outcome")).containsOnly("error");
    }

    @Test
    void theWorkflowAttributeIsConfigurable() {
        Map<SeriesKey, SeriesValue> out = recorded("app.flow", span().attr("app.flow", "signup").attr("workflow.type", "ignored").build());
        assertThat(out.keySet()).extracting(k -> k.label("workflow_type")).containsOnly("signup");
    }

    @Test
    void absurdDurationsAreCountedButNotObserved() {
        Map<SeriesKey, SeriesValue> out = recorded(span().attr("workflow.type", "refund").durationNanos(-5).build());
        assertThat(out.keySet()).extracting(SeriesKey::family).containsExactly("tracesift_workflow_runs_total");
    }
}
