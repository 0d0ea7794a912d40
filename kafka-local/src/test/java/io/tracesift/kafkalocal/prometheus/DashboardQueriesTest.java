package io.tracesift.kafkalocal.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardQueriesTest {
    private static final String DASHBOARD = """
            {"panels": [
              {"type": "timeseries", "title": "Rate", "targets": [
                {"refId": "A", "expr": "sum(rate(x_total{tenant=~\\"$tenant\\"}[$__rate_interval]))"},
                {"refId": "B", "expr": "up", "hide": true},
                {"refId": "C", "expr": "  "}]},
              {"type": "row", "title": "Collapsed", "panels": [
                {"type": "table", "title": "Inner", "targets": [{"refId": "A", "expr": "y{a=~\\"${svc}\\"}"}]}]},
              {"type": "text", "title": "No queries"}
            ]}
            """;

    @Test
    void collectsVisibleTargetsOfEveryPanelIncludingRowChildren() throws Exception {
        List<DashboardQuery> queries = DashboardQueries.ofDashboard("d.json", new ObjectMapper().readTree(DASHBOARD));
        assertThat(queries).extracting(DashboardQuery::panelTitle, DashboardQuery::refId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Rate", "A"), org.assertj.core.groups.Tuple.tuple("Inner", "A"));
        assertThat(queries.get(0).source()).isEqualTo("d.json");
        assertThat(queries.get(0).variables()).containsExactly("__rate_interval", "tenant");
        assertThat(queries.get(1).variables()).containsExactly("svc");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sum(rate(x{tenant=~\"$tenant\"}[$__rate_interval]))  | sum(rate(x{tenant=~\".*\"}[1m]))",
            "rate(x[$__range]) / rate(y[${__interval}])          | rate(x[1m]) / rate(y[1m])",
            "x{a=~\"${svc:regex}\", b=~\"$b\"}                   | x{a=~\".*\", b=~\".*\"}",
            "x{a=\"$$\"}                                         | x{a=\"$$\"}",
    })
    void replacesVariablesByAllAndRangesByOneMinute(String expr, String promql) {
        assertThat(new DashboardQuery("d", "p", "A", expr).promql()).isEqualTo(promql);
    }

    @Test
    void givenValuesWin() {
        DashboardQuery query = new DashboardQuery("d", "p", "A", "x{tenant=~\"$tenant\"}[$__range]");
        assertThat(query.promql(Map.of("tenant", "acme", "__range", "5m"))).isEqualTo("x{tenant=~\"acme\"}[5m]");
    }

    @Test
    void grafanaBuiltInsCoverTheRedTableAndTheServiceMap() {
        assertThat(DashboardQueries.grafanaTempoBuiltIns()).extracting(DashboardQuery::expr)
                .anyMatch(e -> e.contains("traces_spanmetrics_calls_total{span_kind=\"SPAN_KIND_SERVER\", status_code=\"STATUS_CODE_ERROR\"}"))
                .anyMatch(e -> e.contains("traces_spanmetrics_latency_bucket"))
                .anyMatch(e -> e.contains("traces_service_graph_request_failed_total"))
                .anyMatch(e -> e.contains("traces_service_graph_request_server_seconds_bucket"));
    }
}
