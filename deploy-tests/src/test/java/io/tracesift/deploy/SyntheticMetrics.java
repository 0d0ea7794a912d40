package io.tracesift.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A /metrics page with one or two series of every family the dashboards query, labelled as
 * aggregation/README.md and dashboards/README.md document them. Counters grow with every scrape, so rate() is
 * positive; histograms have three buckets.
 */
final class SyntheticMetrics {
    private enum Kind { COUNTER, GAUGE, HISTOGRAM }

    /** {@code amount}: growth per scrape (counter, histogram count) or the fixed value (gauge). */
    private record Series(Kind kind, String name, Map<String, String> labels, double amount) {
    }

    private final List<Series> series = new ArrayList<>();

    static SyntheticMetrics shapedLikeTracesift() {
        SyntheticMetrics m = new SyntheticMetrics();
        for (String tenant : List.of("acme", "globex")) {
            for (String status : List.of("STATUS_CODE_OK", "STATUS_CODE_ERROR")) {
                Map<String, String> span = labels("tenant", tenant, "service", "checkout", "span_name", "POST /pay",
                        "span_kind", "SPAN_KIND_SERVER", "status_code", status);
                m.counter("traces_spanmetrics_calls_total", span, status.endsWith("OK") ? 10 : 1);
                m.histogram("traces_spanmetrics_latency", span, 10);
                m.counter("traces_spanmetrics_size_total", span, 1000);
            }
            m.counter("traces_spanmetrics_calls_total", labels("tenant", tenant, "otel_metric_overflow", "true"), 1);
            m.counter("tracesift_metrics_overflow_total", labels("tenant", tenant, "metric", "traces_spanmetrics_calls"), 1);
            m.counter("tracesift_spanmetrics_invalid_duration_spans_total", labels("tenant", tenant, "reason", "negative"), 1);

            Map<String, String> edge = labels("tenant", tenant, "client", "frontend", "server", "checkout", "connection_type", "");
            m.counter("traces_service_graph_request_total", edge, 10);
            m.counter("traces_service_graph_request_failed_total", edge, 1);
            m.histogram("traces_service_graph_request_server_seconds", edge, 10);
            m.histogram("traces_service_graph_request_client_seconds", edge, 10);
            m.counter("traces_service_graph_unpaired_spans_total", labels("tenant", tenant, "client", "frontend", "server", ""), 1);

            for (String outcome : List.of("ok", "error")) {
                long n = outcome.equals("ok") ? 4 : 1;
                Map<String, String> agent = labels("tenant", tenant, "service", "agents", "gen_ai_agent_name", "planner", "outcome", outcome);
                m.counter("tracesift_agent_invocations_total", agent, n);
                m.histogram("tracesift_agent_invocation_duration_seconds", agent, n);
                Map<String, String> tool = labels("tenant", tenant, "service", "agents", "gen_ai_tool_name", "search", "outcome", outcome);
                m.counter("tracesift_agent_tool_calls_total", tool, n);
                m.histogram("tracesift_agent_tool_call_duration_seconds", tool, n);
                Map<String, String> model = labels("tenant", tenant, "service", "agents", "gen_ai_operation_name", "chat",
                        "gen_ai_request_model", "gpt-4o", "outcome", outcome);
                m.counter("tracesift_agent_model_calls_total", model, n);
                m.histogram("tracesift_agent_model_call_duration_seconds", model, n);
                Map<String, String> workflow = labels("tenant", tenant, "workflow_type", "triage", "outcome", outcome);
                m.counter("tracesift_workflow_runs_total", workflow, n);
                m.histogram("tracesift_workflow_run_duration_seconds", workflow, n);
            }
            for (String type : List.of("input", "output")) {
                m.histogram("gen_ai_client_token_usage", labels("tenant", tenant, "service", "agents",
                        "gen_ai_operation_name", "chat", "gen_ai_request_model", "gpt-4o", "gen_ai_token_type", type), 3);
            }
        }
        m.counter("tracesift_spans_received_total", Map.of(), 100);
        m.counter("tracesift_spans_accepted_total", Map.of(), 98);
        m.counter("tracesift_spans_dropped_total", labels("reason", "flag-disabled"), 1);
        m.counter("tracesift_dlq_records_total", labels("reason", "undecodable"), 1);
        m.counter("tracesift_redacted_values_total", labels("rule", "jwt"), 1);
        for (String decision : List.of("keep", "drop")) {
            m.counter("tracesift_traces_decided_total", labels("decision", decision, "rule", "probabilistic"), 5);
            m.counter("tracesift_spans_decided_total", labels("decision", decision, "rule", "probabilistic"), 40);
            m.counter("tracesift_late_spans_total", labels("decision", decision), 1);
        }
        m.counter("tracesift_truncated_spans_total", Map.of(), 1);
        m.counter("tracesift_output_records_total", Map.of(), 5);
        m.counter("tracesift_span_groups_total", labels("route", "local"), 20);
        m.counter("tracesift_span_groups_total", labels("route", "repartition"), 2);
        m.gauge("tracesift_open_traces", Map.of(), 120);
        m.gauge("tracesift_oldest_open_trace_age_seconds", Map.of(), 1800);
        m.histogram("tracesift_decision_delay_seconds", Map.of(), 5);
        m.gauge("tracesift_punctuation_lag_seconds", Map.of(), 0.05);
        m.gauge("tracesift_young_window_bytes", Map.of(), 6.4e7);
        for (String reason : List.of("budget", "long-trace", "checkpoint")) {
            m.counter("tracesift_young_window_written_below_bytes_total", labels("reason", reason), 1000);
        }
        m.gauge("tracesift_kafka_consumer_lag_records", labels("topic", "otlp_spans", "partition", "0"), 42);
        m.gauge("tracesift_kafka_streams_process_rate", labels("thread", "StreamThread-1"), 5000);
        m.counter("process_cpu_seconds_total", Map.of(), 1);
        m.gauge("jvm_memory_used_bytes", labels("area", "heap"), 1.5e8);
        m.counter("jvm_gc_collection_seconds_sum", labels("gc", "G1 Young Generation"), 1);
        m.counter("jvm_gc_collection_seconds_count", labels("gc", "G1 Young Generation"), 10);
        return m;
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    private void counter(String name, Map<String, String> labels, long perScrape) {
        series.add(new Series(Kind.COUNTER, name, labels, perScrape));
    }

    private void histogram(String name, Map<String, String> labels, long perScrape) {
        series.add(new Series(Kind.HISTOGRAM, name, labels, perScrape));
    }

    private void gauge(String name, Map<String, String> labels, double value) {
        series.add(new Series(Kind.GAUGE, name, labels, value));
    }

    /** The exposition text after {@code scrape} scrapes. */
    String render(long scrape) {
        StringBuilder text = new StringBuilder();
        for (Series s : series) {
            switch (s.kind()) {
                case COUNTER -> line(text, s.name(), s.labels(), s.amount() * scrape);
                case GAUGE -> line(text, s.name(), s.labels(), s.amount());
                case HISTOGRAM -> {
                    long count = (long) s.amount() * scrape;
                    line(text, s.name() + "_bucket", with(s.labels(), "le", "0.1"), count / 2);
                    line(text, s.name() + "_bucket", with(s.labels(), "le", "1"), count * 9 / 10);
                    line(text, s.name() + "_bucket", with(s.labels(), "le", "+Inf"), count);
                    line(text, s.name() + "_sum", s.labels(), count * 0.3);
                    line(text, s.name() + "_count", s.labels(), count);
                }
            }
        }
        return text.toString();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.put(name, value);
        return copy;
    }

    private static void line(StringBuilder text, String name, Map<String, String> labels, double value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{');
            labels.forEach((k, v) -> text.append(k).append("=\"").append(v).append("\","));
            text.setLength(text.length() - 1);
            text.append('}');
        }
        text.append(' ').append(value).append('\n');
    }
}
