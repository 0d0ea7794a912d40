package io.tracesift.aggregation;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every family aggregation produces, in one place so names, types and help texts stay consistent. */
public final class MetricFamilies {
    private MetricFamilies() {
    }

    public static final MetricFamily SPAN_CALLS = counter("traces_spanmetrics_calls_total",
            "Spans received, by service, span name, kind and status (all spans, before sampling).");
    public static final MetricFamily SPAN_LATENCY = histogram("traces_spanmetrics_latency",
            "Span duration in seconds (spans with absurd durations are left out).");
    public static final MetricFamily SPAN_SIZE = counter("traces_spanmetrics_size_total",
            "Encoded size of received spans in bytes.");

    public static final MetricFamily GRAPH_REQUESTS = counter("traces_service_graph_request_total",
            "Requests between two nodes of the service graph.");
    public static final MetricFamily GRAPH_FAILED = counter("traces_service_graph_request_failed_total",
            "Requests between two nodes where the client or the server span has status error.");
    public static final MetricFamily GRAPH_SERVER_SECONDS = histogram("traces_service_graph_request_server_seconds",
            "Duration of the server side of service graph requests in seconds.");
    public static final MetricFamily GRAPH_CLIENT_SECONDS = histogram("traces_service_graph_request_client_seconds",
            "Duration of the client side of service graph requests in seconds.");
    public static final MetricFamily GRAPH_UNPAIRED = counter("traces_service_graph_unpaired_spans_total",
            "Client or server spans whose other side is not in the trace and is no known virtual node.");

    public static final MetricFamily AGENT_INVOCATIONS = counter("tracesift_agent_invocations_total",
            "Agent invocations (gen_ai.operation.name=invoke_agent), by agent and outcome.");
    public static final MetricFamily AGENT_DURATION = histogram("tracesift_agent_invocation_duration_seconds",
            "Agent invocation duration in seconds.");
    public static final MetricFamily TOOL_CALLS = counter("tracesift_agent_tool_calls_total",
            "Tool executions (gen_ai.operation.name=execute_tool), by tool and outcome.");
    public static final MetricFamily TOOL_DURATION = histogram("tracesift_agent_tool_call_duration_seconds",
            "Tool execution duration in seconds.");
    public static final MetricFamily MODEL_CALLS = counter("tracesift_agent_model_calls_total",
            "Model calls (chat, text_completion, generate_content, embeddings), by operation, requested model and outcome.");
    public static final MetricFamily MODEL_DURATION = histogram("tracesift_agent_model_call_duration_seconds",
            "Model call duration in seconds.");
    public static final MetricFamily TOKEN_USAGE = histogram("gen_ai_client_token_usage",
            "Tokens used per model call, by token type (OpenTelemetry gen_ai.client.token.usage).");
    public static final MetricFamily WORKFLOW_RUNS = counter("tracesift_workflow_runs_total",
            "Workflow runs: root spans carrying the workflow attribute, by workflow type and outcome.");
    public static final MetricFamily WORKFLOW_DURATION = histogram("tracesift_workflow_run_duration_seconds",
            "Workflow run duration (the root span's) in seconds.");

    public static final MetricFamily INVALID_DURATIONS = unlimited("tracesift_spanmetrics_invalid_duration_spans_total",
            "Spans left out of duration histograms because their duration is negative (reason=negative) or over a year (reason=too_long).");
    public static final MetricFamily OVERFLOW = unlimited("tracesift_metrics_overflow_total",
            "Updates counted into a family's otel_metric_overflow=\"true\" series because the tenant reached the series limit, by family (label metric).");

    public static final List<MetricFamily> ALL = List.of(SPAN_CALLS, SPAN_LATENCY, SPAN_SIZE,
            GRAPH_REQUESTS, GRAPH_FAILED, GRAPH_SERVER_SECONDS, GRAPH_CLIENT_SECONDS, GRAPH_UNPAIRED,
            AGENT_INVOCATIONS, AGENT_DURATION, TOOL_CALLS, TOOL_DURATION, MODEL_CALLS, MODEL_DURATION, TOKEN_USAGE,
            WORKFLOW_RUNS, WORKFLOW_DURATION, INVALID_DURATIONS, OVERFLOW);

    private static final Map<String, MetricFamily> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(MetricFamily::name, Function.identity()));

    /** The family of that name, or null for a name aggregation does not produce. */
    public static MetricFamily byName(String name) {
        return BY_NAME.get(name);
    }

    private static MetricFamily counter(String name, String help) {
        return new MetricFamily(name, MetricFamily.Type.COUNTER, help, true);
    }

    private static MetricFamily histogram(String name, String help) {
        return new MetricFamily(name, MetricFamily.Type.HISTOGRAM, help, true);
    }

    private static MetricFamily unlimited(String name, String help) {
        return new MetricFamily(name, MetricFamily.Type.COUNTER, help, false);
    }
}
