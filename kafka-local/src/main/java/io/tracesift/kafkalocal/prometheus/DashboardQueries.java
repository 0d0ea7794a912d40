package io.tracesift.kafkalocal.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every PromQL query of the Grafana dashboards shipped in {@code helm/tracesift/dashboards}, for tests that run them
 * against a real Prometheus ({@link LocalPrometheus}), plus the queries Grafana's Tempo data source runs by itself for
 * its RED table and service map.
 */
public final class DashboardQueries {
    /** The dashboards folder, relative to the repository root. */
    public static final Path DASHBOARDS = Path.of("helm", "tracesift", "dashboards");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardQueries() {
    }

    /** The dashboards folder of the checkout containing {@code start} (or one of its parents). */
    public static Path findDashboards(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DASHBOARDS))) {
                return dir.resolve(DASHBOARDS);
            }
        }
        throw new IllegalStateException("No " + DASHBOARDS + " folder in " + start.toAbsolutePath() + " or above it");
    }

    /** The panel queries of every {@code *.json} dashboard in {@code folder}, in file then panel order. */
    public static List<DashboardQuery> load(Path folder) {
        List<DashboardQuery> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                queries.addAll(ofDashboard(file.getFileName().toString(), JSON.readTree(file.toFile())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dashboards in " + folder, e);
        }
        return List.copyOf(queries);
    }

    /** The panel queries of one dashboard (panels nested in rows included; hidden targets left out). */
    public static List<DashboardQuery> ofDashboard(String source, JsonNode dashboard) {
        List<DashboardQuery> queries = new ArrayList<>();
        collect(source, dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(String source, JsonNode panels, List<DashboardQuery> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank() && !target.path("hide").asBoolean(false)) {
                    into.add(new DashboardQuery(source, panel.path("title").asText(), target.path("refId").asText(), expr));
                }
            }
            collect(source, panel.path("panels"), into);
        }
    }

    /**
     * The queries Grafana's Tempo data source sends to Prometheus for its APM (RED) table, with its default filter
     * {@code span_kind="SPAN_KIND_SERVER"}, and for its service map (Grafana {@code tempo/datasource}).
     */
    public static List<DashboardQuery> grafanaTempoBuiltIns() {
        String source = "grafana-tempo-datasource";
        String server = "span_kind=\"SPAN_KIND_SERVER\"";
        return List.of(
                new DashboardQuery(source, "APM table", "rate",
                        "topk(5, sum(rate(traces_spanmetrics_calls_total{" + server + "}[$__range])) by (span_name))"),
                new DashboardQuery(source, "APM table", "errorRate",
                        "topk(5, sum(rate(traces_spanmetrics_calls_total{" + server
                                + ", status_code=\"STATUS_CODE_ERROR\"}[$__range])) by (span_name))"),
                new DashboardQuery(source, "APM table", "duration",
                        "histogram_quantile(.9, sum(rate(traces_spanmetrics_latency_bucket{" + server + "}[$__range])) by (le))"),
                new DashboardQuery(source, "Service map", "traces_service_graph_request_server_seconds_sum",
                        "sum by (client, server) (rate(traces_service_graph_request_server_seconds_sum[$__range]))"),
                new DashboardQuery(source, "Service map", "traces_service_graph_request_total",
                        "sum by (client, server) (rate(traces_service_graph_request_total[$__range]))"),
                new DashboardQuery(source, "Service map", "traces_service_graph_request_failed_total",
                        "sum by (client, server) (rate(traces_service_graph_request_failed_total[$__range]))"),
                new DashboardQuery(source, "Service map", "traces_service_graph_request_server_seconds_bucket",
                        "histogram_quantile(0.9, sum by (client, server, le) "
                                + "(rate(traces_service_graph_request_server_seconds_bucket[$__range])))"));
    }
}
