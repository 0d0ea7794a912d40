package io.tracesift.aggregation;

import java.util.List;
import java.util.Set;

/**
 * Agent and workflow metrics from OpenTelemetry's GenAI semantic conventions, per span:
 * {@code invoke_agent} spans count per agent ({@code gen_ai.agent.name}), {@code execute_tool} spans per tool
 * ({@code gen_ai.tool.name}), model calls per operation and requested model ({@code gen_ai.request.model}) with
 * their token usage ({@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens}); root spans carrying
 * the workflow attribute count as workflow runs. Every counter has a histogram twin with the same labels, as
 * Tempo pairs calls with latency; {@code outcome} is {@code error} for spans with status error, else {@code ok}.
 */
public final class AgentMetrics {
    public static final String OPERATION = "gen_ai.operation.name";
    public static final String AGENT_NAME = "gen_ai.agent.name";
    public static final String TOOL_NAME = "gen_ai.tool.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

    /** Placeholders for spans that name their operation but not its subject. */
    public static final String UNKNOWN_AGENT = "unknown_agent";
    public static final String UNKNOWN_TOOL = "unknown_tool";
    public static final String UNKNOWN_MODEL = "unknown_model";

    /** The conventions' inference and embedding operations. */
    private static final Set<String> MODEL_OPERATIONS = Set.of("chat", "text_completion", "generate_content", "embeddings");

    /** OpenTelemetry's recommended bucket bounds for gen_ai.client.token.usage. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};

    private final String workflowAttribute;
    private final double[] buckets;

    public AgentMetrics(String workflowAttribute, double[] buckets) {
        this.workflowAttribute = workflowAttribute;
        this.buckets = buckets.clone();
    }

    /** Appends this span's agent, tool, model, token and workflow increments (often none) to {@code out}. */
    public void addUpdates(SpanSample span, List<SeriesUpdate> out) {
        String outcome = span.isError() ? "error" : "ok";
        String operation = span.attributeText(OPERATION);
        if ("invoke_agent".equals(operation)) {
            countWithDuration(span, MetricFamilies.AGENT_INVOCATIONS, MetricFamilies.AGENT_DURATION, out,
                    "service", span.service(), "gen_ai_agent_name", orElse(span.attributeText(AGENT_NAME), UNKNOWN_AGENT),
                    "outcome", outcome);
        } else if ("execute_tool".equals(operation)) {
            countWithDuration(span, MetricFamilies.TOOL_CALLS, MetricFamilies.TOOL_DURATION, out,
                    "service", span.service(), "gen_ai_tool_name", orElse(span.attributeText(TOOL_NAME), UNKNOWN_TOOL),
                    "outcome", outcome);
        } else if (operation != null && MODEL_OPERATIONS.contains(operation)) {
            String model = orElse(span.attributeText(REQUEST_MODEL), UNKNOWN_MODEL);
            countWithDuration(span, MetricFamilies.MODEL_CALLS, MetricFamilies.MODEL_DURATION, out,
                    "service", span.service(), "gen_ai_operation_name", operation, "gen_ai_request_model", model,
                    "outcome", outcome);
            tokens(span, INPUT_TOKENS, "input", operation, model, out);
            tokens(span, OUTPUT_TOKENS, "output", operation, model, out);
        }
        if (span.isRoot()) {
            String workflow = span.attributeText(workflowAttribute);
            if (workflow != null) {
                countWithDuration(span, MetricFamilies.WORKFLOW_RUNS, MetricFamilies.WORKFLOW_DURATION, out,
                        "workflow_type", workflow, "outcome", outcome);
            }
        }
    }

    private void countWithDuration(SpanSample span, MetricFamily counter, MetricFamily histogram,
                                   List<SeriesUpdate> out, String... labels) {
        out.add(new SeriesUpdate(SeriesKey.of(span.tenant(), counter.name(), labels), CounterValue.ONE));
        // Absurd durations are already counted by SpanMetrics; here they are only kept out of the histogram.
        if (SpanMetrics.invalidDurationReason(span.durationNanos()) == null) {
            out.add(new SeriesUpdate(SeriesKey.of(span.tenant(), histogram.name(), labels), SpanMetrics.observation(span, buckets)));
        }
    }

    private static void tokens(SpanSample span, String attribute, String type, String operation, String model,
                               List<SeriesUpdate> out) {
        long tokens = nonNegativeWhole(span.attributes().get(attribute));
        if (tokens >= 0) {
            SeriesKey key = SeriesKey.of(span.tenant(), MetricFamilies.TOKEN_USAGE.name(), "service", span.service(),
                    "gen_ai_operation_name", operation, "gen_ai_request_model", model, "gen_ai_token_type", type);
            out.add(new SeriesUpdate(key, HistogramValue.single(TOKEN_BUCKETS, tokens, null)));
        }
    }

    /** The value as a whole number of tokens, or -1 when absent, negative or not a number. */
    private static long nonNegativeWhole(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return Math.max(-1, ((Number) value).longValue());
        }
        if (value instanceof Double d && d >= 0 && d <= Long.MAX_VALUE && d == Math.rint(d)) {
            return d.longValue();
        }
        if (value instanceof String s) {
            try {
                return Math.max(-1, Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
