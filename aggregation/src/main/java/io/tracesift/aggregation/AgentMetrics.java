package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Agent and workflow metrics from OpenTelemetry's GenAI semantic conventions, per span:
 * {@code invoke_agent} spans count per agent ({@code gen_ai.agent.name}), {@code execute_tool} spans per tool
 * ({@code gen_ai.tool.name}), model calls per operation and requested model ({@code gen_ai.request.model}) with
 * their token usage ({@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens}); root spans carrying
 * the workflow attribute count as workflow runs. Every counter has a histogram twin with the same labels, as
 * Tempo pairs calls with latency; {@code outcome} is {@code error} for spans with status error, else {@code ok}.
 * Counted into one accumulator through a cache of series handles, as {@link SpanMetrics} does. One instance per
 * accumulator; not thread-safe.
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

    private static final String AGENT = "agent";
    private static final String TOOL = "tool";
    private static final String MODEL = "model";
    private static final String WORKFLOW = "workflow";

    private final String workflowAttribute;
    private final double[] buckets;
    private final SeriesAccumulator accumulator;
    /**
     * The handles of each label set seen, by tenant, kind of call (agent, tool, model, workflow) and up to four label
     * values: counter, histogram, and for model calls the input and output token histograms.
     */
    private final Map<LabelTuple, SeriesAccumulator.Series[]> series = new HashMap<>();
    private final LabelTuple probe = new LabelTuple(6);
    private int generation;

    public AgentMetrics(String workflowAttribute, double[] buckets, SeriesAccumulator accumulator) {
        this.workflowAttribute = workflowAttribute;
        this.buckets = buckets.clone();
        this.accumulator = accumulator;
        this.generation = accumulator.generation();
    }

    /** Counts the span's agent, tool, model, token and workflow increments (often none); see {@link SpanMetrics#record}. */
    public void record(SpanSample span, ExemplarSource exemplars, long nowMillis) {
        String outcome = span.isError() ? "error" : "ok";
        String operation = span.attributeText(OPERATION);
        if ("invoke_agent".equals(operation)) {
            countWithDuration(span, exemplars, nowMillis, series(span.tenant(), AGENT, span.service(),
                    orElse(span.attributeText(AGENT_NAME), UNKNOWN_AGENT), outcome, ""));
        } else if ("execute_tool".equals(operation)) {
            countWithDuration(span, exemplars, nowMillis, series(span.tenant(), TOOL, span.service(),
                    orElse(span.attributeText(TOOL_NAME), UNKNOWN_TOOL), outcome, ""));
        } else if (operation != null && MODEL_OPERATIONS.contains(operation)) {
            String model = orElse(span.attributeText(REQUEST_MODEL), UNKNOWN_MODEL);
            SeriesAccumulator.Series[] s = series(span.tenant(), MODEL, span.service(), operation, model, outcome);
            countWithDuration(span, exemplars, nowMillis, s);
            tokens(span, INPUT_TOKENS, s[2]);
            tokens(span, OUTPUT_TOKENS, s[3]);
        }
        if (span.isRoot()) {
            String workflow = span.attributeText(workflowAttribute);
            if (workflow != null) {
                countWithDuration(span, exemplars, nowMillis, series(span.tenant(), WORKFLOW, workflow, outcome, "", ""));
            }
        }
    }

    private void countWithDuration(SpanSample span, ExemplarSource exemplars, long nowMillis, SeriesAccumulator.Series[] s) {
        s[0].count(1);
        // Absurd durations are already counted by SpanMetrics; here they are only kept out of the histogram.
        if (SpanMetrics.invalidDurationReason(span.durationNanos()) == null) {
            SpanMetrics.observe(s[1], buckets, span, exemplars, nowMillis);
        }
    }

    private static void tokens(SpanSample span, String attribute, SeriesAccumulator.Series histogram) {
        long tokens = nonNegativeWhole(span.attributes().get(attribute));
        if (tokens >= 0) {
            histogram.observe(TOKEN_BUCKETS, tokens, null);
        }
    }

    private SeriesAccumulator.Series[] series(String tenant, String kind, String a, String b, String c, String d) {
        if (generation != accumulator.generation()) {
            series.clear();
            generation = accumulator.generation();
        }
        SeriesAccumulator.Series[] s = series.get(probe.set(0, tenant).set(1, kind).set(2, a).set(3, b).set(4, c).set(5, d).rehash());
        if (s == null) {
            if (series.size() >= SpanMetrics.MAX_CACHED) {
                series.clear();
            }
            s = switch (kind) {
                case AGENT -> countAndDuration(tenant, MetricFamilies.AGENT_INVOCATIONS, MetricFamilies.AGENT_DURATION,
                        "service", a, "gen_ai_agent_name", b, "outcome", c);
                case TOOL -> countAndDuration(tenant, MetricFamilies.TOOL_CALLS, MetricFamilies.TOOL_DURATION,
                        "service", a, "gen_ai_tool_name", b, "outcome", c);
                case MODEL -> modelCalls(tenant, a, b, c, d);
                default -> countAndDuration(tenant, MetricFamilies.WORKFLOW_RUNS, MetricFamilies.WORKFLOW_DURATION,
                        "workflow_type", a, "outcome", b);
            };
            series.put(probe.copy(), s);
        }
        return s;
    }

    private SeriesAccumulator.Series[] countAndDuration(String tenant, MetricFamily counter, MetricFamily histogram,
                                                        String... labels) {
        return new SeriesAccumulator.Series[] {accumulator.series(SeriesKey.of(tenant, counter.name(), labels)),
                accumulator.series(SeriesKey.of(tenant, histogram.name(), labels))};
    }

    private SeriesAccumulator.Series[] modelCalls(String tenant, String service, String operation, String model,
                                                  String outcome) {
        SeriesAccumulator.Series[] calls = countAndDuration(tenant, MetricFamilies.MODEL_CALLS, MetricFamilies.MODEL_DURATION,
                "service", service, "gen_ai_operation_name", operation, "gen_ai_request_model", model, "outcome", outcome);
        return new SeriesAccumulator.Series[] {calls[0], calls[1], tokenSeries(tenant, service, operation, model, "input"),
                tokenSeries(tenant, service, operation, model, "output")};
    }

    private SeriesAccumulator.Series tokenSeries(String tenant, String service, String operation, String model, String type) {
        return accumulator.series(SeriesKey.of(tenant, MetricFamilies.TOKEN_USAGE.name(), "service", service,
                "gen_ai_operation_name", operation, "gen_ai_request_model", model, "gen_ai_token_type", type));
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
