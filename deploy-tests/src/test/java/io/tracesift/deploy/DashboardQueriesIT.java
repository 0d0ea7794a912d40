package io.tracesift.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.tracesift.kafkalocal.prometheus.DashboardQueries;
import io.tracesift.kafkalocal.prometheus.DashboardQuery;
import io.tracesift.kafkalocal.prometheus.LocalPrometheusExtension;
import io.tracesift.kafkalocal.prometheus.QueryResult;
import io.tracesift.kafkalocal.prometheus.Sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every panel query of the shipped Grafana dashboards, and Grafana's own Tempo RED/service-map queries, run against
 * a real Prometheus that scrapes a page shaped like tracesift's /metrics: each must parse and find data, so a typo
 * in a metric or label name fails here. The metrics integration test runs the same queries against the real app.
 */
class DashboardQueriesIT {
    @RegisterExtension
    static final LocalPrometheusExtension PROMETHEUS = new LocalPrometheusExtension();

    /** Dashboards whose metrics carry a tenant label: each of their selectors must filter by it. */
    private static final Set<String> TENANT_DASHBOARDS =
            Set.of("tracesift-red.json", "tracesift-service-graph.json", "tracesift-agents.json");
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern VARIABLE_USE = Pattern.compile("(\\w+)\\s*(=~|!~|=|!=)\\s*\"\\$\\{?(\\w+)");

    private static HttpServer server;

    static List<DashboardQuery> dashboardQueries() {
        return DashboardQueries.load(RepositoryPaths.dashboards());
    }

    static List<DashboardQuery> allQueries() {
        List<DashboardQuery> all = new ArrayList<>(dashboardQueries());
        all.addAll(DashboardQueries.grafanaTempoBuiltIns());
        return all;
    }

    @BeforeAll
    static void scrapeMetricsShapedLikeTracesift() throws IOException {
        SyntheticMetrics metrics = SyntheticMetrics.shapedLikeTracesift();
        AtomicLong scrapes = new AtomicLong();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics.render(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        PROMETHEUS.scrape("tracesift", "127.0.0.1:" + server.getAddress().getPort());
        PROMETHEUS.awaitTargetsUp("tracesift", Duration.ofSeconds(30));
        // rate() over the queries' 1m windows needs at least two samples
        PROMETHEUS.prometheus().awaitQuery("count_over_time(tracesift_spans_received_total[1m])",
                r -> !r.isEmpty() && r.single() >= 3, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void everyDashboardIsLoadedAndEveryDataPanelHasAQuery() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(RepositoryPaths.dashboards())) {
            list.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
        }
        assertThat(files).containsExactlyInAnyOrder("tracesift-red.json", "tracesift-service-graph.json",
                "tracesift-agents.json", "tracesift-pipeline.json");
        List<DashboardQuery> queries = dashboardQueries();
        for (String file : files) {
            JsonNode dashboard = json.readTree(RepositoryPaths.dashboards().resolve(file).toFile());
            assertThat(dashboard.path("uid").asText()).isEqualTo(file.replace(".json", ""));
            for (JsonNode panel : dashboard.path("panels")) {
                if (!"row".equals(panel.path("type").asText())) {
                    assertThat(queries).as(file + " panel " + panel.path("title"))
                            .anyMatch(q -> q.source().equals(file) && q.panelTitle().equals(panel.path("title").asText()));
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(40);
    }

    /** Replacing a variable by ".*" (all) or one value is valid PromQL only inside a regex matcher. */
    @ParameterizedTest
    @MethodSource("dashboardQueries")
    void variablesAreOnlyUsedInRegexMatchers(DashboardQuery query) {
        Set<String> uses = new TreeSet<>();
        Matcher matcher = VARIABLE_USE.matcher(query.expr());
        while (matcher.find()) {
            assertThat(matcher.group(2)).as(query + ": $" + matcher.group(3)).isEqualTo("=~");
            uses.add(matcher.group(3));
        }
        Set<String> userVariables = new TreeSet<>(query.variables());
        userVariables.removeIf(name -> name.startsWith("__"));
        assertThat(uses).as(query.toString()).isEqualTo(userVariables);
        assertThat(query.variables().stream().filter(v -> v.startsWith("__")))
                .as(query.toString()).allMatch(v -> Set.of("__rate_interval", "__range").contains(v));
    }

    @ParameterizedTest
    @MethodSource("dashboardQueries")
    void tenantDashboardsFilterEverySelectorByTenant(DashboardQuery query) {
        if (!TENANT_DASHBOARDS.contains(query.source())) {
            return;
        }
        Matcher selector = SELECTOR.matcher(query.expr());
        int selectors = 0;
        while (selector.find()) {
            selectors++;
            assertThat(selector.group(2)).as(query + " selector " + selector.group(1)).contains("tenant=~\"$tenant\"");
        }
        assertThat(selectors).as(query.toString()).isPositive();
    }

    @Test
    void everyMetricQueriedIsDocumentedInTheDashboardsReadme() throws IOException {
        String readme = Files.readString(RepositoryPaths.dashboards().resolve("README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (DashboardQuery query : dashboardQueries()) {
            Matcher selector = SELECTOR.matcher(query.expr());
            while (selector.find()) {
                String name = selector.group(1);
                String family = name.replaceAll("_(bucket|sum|count)$", "");
                // listed by name (`x_total`, `x{label=...}`) or as a histogram family (`x` | `x_bucket...`)
                if (!readme.contains("`" + name + "`") && !readme.contains("`" + name + "{")
                        && !readme.contains("`" + family + "`") && !readme.contains("`" + family + "_bucket")) {
                    undocumented.add(name);
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    /** Prometheus parses each query and finds data in series labelled as documented; no NaN from empty ratios. */
    @ParameterizedTest
    @MethodSource("allQueries")
    void everyQueryParsesAndFindsData(DashboardQuery query) {
        QueryResult result = PROMETHEUS.query(query.promql());
        assertThat(result.samples()).as(query.promql()).isNotEmpty();
        assertThat(result.samples()).as(query.promql()).allMatch(s -> !Double.isNaN(s.value()));
    }

    /** With one tenant selected, no series of another tenant appears. */
    @ParameterizedTest
    @MethodSource("dashboardQueries")
    void oneTenantSelectedShowsOnlyThatTenant(DashboardQuery query) {
        if (!TENANT_DASHBOARDS.contains(query.source())) {
            return;
        }
        QueryResult globex = PROMETHEUS.query(query.promql(Map.of("tenant", "globex")));
        assertThat(globex.samples()).as(query.toString()).isNotEmpty();
        for (Sample sample : globex.samples()) {
            assertThat(sample.labels().getOrDefault("tenant", "globex")).isEqualTo("globex");
        }
        assertThat(PROMETHEUS.query(query.promql(Map.of("tenant", "initech"))).samples()).as(query.toString()).isEmpty();
    }
}
