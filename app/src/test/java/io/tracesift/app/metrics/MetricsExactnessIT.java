package io.tracesift.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.app.ListenPorts;
import io.tracesift.app.metrics.MetricsWorkload.Trace;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.kafkalocal.prometheus.DashboardQueries;
import io.tracesift.kafkalocal.prometheus.DashboardQuery;
import io.tracesift.kafkalocal.prometheus.LocalPrometheus;
import io.tracesift.kafkalocal.prometheus.LocalPrometheusExtension;
import io.tracesift.kafkalocal.prometheus.QueryResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code tracesift run} instances (separate JVMs, one application id) over 100,000 known spans; one is
 * SIGKILLed midway and restarted. Once everything is processed, the store-backed series scraped from both
 * instances, summed over instances and partitions, equal the true counts of the input for every series. A real
 * Prometheus scrapes both instances throughout; then every PromQL query of the shipped dashboards and Grafana's
 * built-in RED and service-map queries run against it, and the sums it computes equal the truth.
 */
class MetricsExactnessIT {

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @RegisterExtension
    static final LocalPrometheusExtension PROMETHEUS = new LocalPrometheusExtension();

    /** Families this input never produces (no bad spans, no redaction, no flags, no overflow): their panels stay empty. */
    private static final List<String> NO_DATA_HERE = List.of("tracesift_spans_dropped_total", "tracesift_redacted_values_total",
            "tracesift_dlq_records_total", "tracesift_metrics_overflow_total", "tracesift_spanmetrics_invalid_duration_spans_total",
            "otel_metric_overflow");

    private static final int TRACES = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void topics() {
        KAFKA.createTopics(4, "otlp_spans");
        KAFKA.createTopics(1, "tracesift-dlq", "tracesift-flags", "tracesift-tenants");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sumsOverInstancesEqualTheTrueCountsAfterAKill() throws Exception {
        List<Trace> traces = MetricsWorkload.traces(TRACES, System.currentTimeMillis());
        Map<String, Double> truth = MetricsWorkload.truth(traces);
        assertThat(truth.get("traces_spanmetrics_calls_total{service=gateway, span_kind=SPAN_KIND_SERVER, span_name=GET /api/0, "
                + "status_code=STATUS_CODE_UNSET, tenant=acme}")).isPositive();
        double totalSpans = sum(truth, "traces_spanmetrics_calls_total{");
        assertThat(totalSpans).isEqualTo(TRACES * MetricsWorkload.SPANS_PER_TRACE);

        Path config = dir.resolve("tracesift.yaml");
        // A short session: the survivor takes the dead instance's partitions in seconds, not 45 s.
        Files.writeString(config, "kafka:\n  session.timeout.ms: \"6000\"\n  heartbeat.interval.ms: \"1000\"\n");
        int portA = ListenPorts.free();
        int portB = ListenPorts.free();
        Process a = start("a", portA, config);
        Process b = start("b", portB, config);
        awaitReady(portA);
        awaitReady(portB);
        PROMETHEUS.scrape("tracesift", "127.0.0.1:" + portA, "127.0.0.1:" + portB);

        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, traces.subList(0, TRACES / 2));
            // Midway: once the instances have counted a fifth of all spans, A dies without any goodbye.
            awaitUntil(Duration.ofSeconds(120), () -> sum(scrape(portA, portB), "traces_spanmetrics_calls_total{") >= totalSpans / 5);
            a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            send(producer, traces.subList(TRACES / 2, TRACES));
        }
        processes.remove(a);
        a = start("a", portA, config);
        awaitReady(portA);

        Map<String, Double>[] last = new Map[1];
        boolean equal = awaitUntil(Duration.ofSeconds(240), () -> {
            last[0] = scrape(portA, portB);
            return matches(last[0], truth);
        });
        if (!equal) {
            Map<String, String> diff = new TreeMap<>();
            for (String key : new TreeSet<>(union(truth, last[0]))) {
                Double want = truth.get(key);
                Double got = last[0].get(key);
                if (!close(want, got)) {
                    diff.put(key, "want " + want + ", got " + got);
                }
            }
            assertThat(diff).as("series whose sum over both instances differs from the truth").isEmpty();
        }
        assertThat(last[0].keySet()).isEqualTo(truth.keySet());
        // Both instances served a share of the series (the work was split between them).
        assertThat(sum(MetricsWorkload.parse(get(portA, "/metrics"), true), "traces_spanmetrics_calls_total{")).isPositive();
        assertThat(sum(MetricsWorkload.parse(get(portB, "/metrics"), true), "traces_spanmetrics_calls_total{")).isPositive();

        dashboardsOnRealPrometheus(truth, totalSpans);
    }

    private void dashboardsOnRealPrometheus(Map<String, Double> truth, double totalSpans) {
        LocalPrometheus prometheus = PROMETHEUS.prometheus();
        PROMETHEUS.awaitTargetsUp("tracesift", Duration.ofSeconds(60));
        // sum() over instances and partitions is the documented way to read the counters: exact.
        prometheus.awaitQuery("sum(traces_spanmetrics_calls_total)", r -> !r.isEmpty() && r.single() == totalSpans,
                Duration.ofSeconds(30));
        // Trace-level series (workflows, service graph) are final on the instances, but the latest scrape of
        // each target may be up to one interval older than the one that completed the span counts.
        prometheus.awaitQuery("sum(tracesift_workflow_runs_total)", r -> !r.isEmpty() && r.single() == TRACES,
                Duration.ofSeconds(30));
        assertThat(prometheus.value("sum(traces_spanmetrics_latency_count)")).isEqualTo(totalSpans);
        Map<String, Double> edges = new TreeMap<>();
        truth.forEach((key, value) -> {
            if (key.startsWith("traces_service_graph_request_total{")) {
                edges.merge(label(key, "client") + "->" + label(key, "server"), value, Double::sum);
            }
        });
        double edgeTotal = edges.values().stream().mapToDouble(Double::doubleValue).sum();
        prometheus.awaitQuery("sum(traces_service_graph_request_total)", r -> !r.isEmpty() && r.single() == edgeTotal,
                Duration.ofSeconds(30));
        Map<String, Double> promEdges = new TreeMap<>();
        prometheus.query("sum by (client, server) (traces_service_graph_request_total)").samples()
                .forEach(s -> promEdges.put(s.label("client") + "->" + s.label("server"), s.value()));
        assertThat(promEdges).isEqualTo(edges).containsKeys("user->gateway", "gateway->orders", "orders->shop",
                "orders->orders", "orders->llm-api");

        List<DashboardQuery> queries = new ArrayList<>(DashboardQueries.load(
                DashboardQueries.findDashboards(Path.of("").toAbsolutePath())));
        assertThat(queries).hasSizeGreaterThan(40);
        queries.addAll(DashboardQueries.grafanaTempoBuiltIns());
        List<String> empty = new ArrayList<>();
        for (DashboardQuery q : queries) {
            QueryResult result = prometheus.query(q.promql());   // throws on any PromQL error
            if (result.isEmpty() && NO_DATA_HERE.stream().noneMatch(q.expr()::contains)) {
                empty.add(q.toString());
            }
        }
        assertThat(empty).as("dashboard queries without data").isEmpty();

        // Grafana's RED table: the server span names of the input, ranked by rate.
        QueryResult red = prometheus.query(DashboardQueries.grafanaTempoBuiltIns().get(0).promql());
        assertThat(red.samples()).extracting(s -> s.label("span_name"))
                .containsExactlyInAnyOrder("GET /api/0", "GET /api/1", "GET /api/2", "GET /api/3", "create-order");
        // Errors only where the input has them.
        List<String> failingServerSpans = truth.keySet().stream()
                .filter(k -> k.startsWith("traces_spanmetrics_calls_total{") && k.contains("span_kind=SPAN_KIND_SERVER")
                        && k.contains("status_code=STATUS_CODE_ERROR"))
                .map(k -> label(k, "span_name")).distinct().toList();
        assertThat(failingServerSpans).contains("create-order", "GET /api/0").hasSizeLessThanOrEqualTo(5);
        QueryResult errors = prometheus.query(DashboardQueries.grafanaTempoBuiltIns().get(1).promql());
        assertThat(errors.samples()).extracting(s -> s.label("span_name")).containsExactlyInAnyOrderElementsOf(failingServerSpans);
    }

    private static String label(String key, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[{ ]" + name + "=([^,}]*)").matcher(key);
        return m.find() ? m.group(1) : null;
    }

    private static java.util.Set<String> union(Map<String, Double> a, Map<String, Double> b) {
        java.util.Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    /** Counts and buckets exactly; histogram sums (floating point, added in another order) to 1e-9 relative. */
    private static boolean matches(Map<String, Double> got, Map<String, Double> want) {
        if (!got.keySet().equals(want.keySet())) {
            return false;
        }
        return want.entrySet().stream().allMatch(e -> close(e.getValue(), got.get(e.getKey())));
    }

    private static boolean close(Double want, Double got) {
        if (want == null || got == null) {
            return want == got;
        }
        return want.equals(got) || Math.abs(want - got) <= 1e-9 * Math.max(1, Math.abs(want));
    }

    private static double sum(Map<String, Double> series, String prefix) {
        return series.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    private Map<String, Double> scrape(int... ports) {
        Map<String, Double> all = new TreeMap<>();
        for (int port : ports) {
            try {
                MetricsWorkload.parse(get(port, "/metrics"), true).forEach((k, v) -> all.merge(k, v, Double::sum));
            } catch (IOException e) {
                // The instance is down (killed or restarting): its partitions are somewhere else or nowhere yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return all;
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private Process start(String name, int port, Path config) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.tracesift.app.Tracesift", "run",
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--config", config.toString(),
                "--state-dir", dir.resolve("state-" + name).toString(),
                "--http-port", Integer.toString(port),
                "--application-id", "metrics-it");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("instance-" + name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void awaitReady(int port) throws Exception {
        boolean ready = awaitUntil(Duration.ofSeconds(90), () -> {
            try {
                get(port, "/readyz");
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        if (!ready) {
            StringBuilder logs = new StringBuilder();
            try (var files = Files.list(dir)) {
                for (Path log : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    String text = Files.readString(log, StandardCharsets.UTF_8);
                    logs.append(log.getFileName()).append(":\n").append(text, Math.max(0, text.length() - 4000), text.length());
                }
            }
            throw new AssertionError("instance on port " + port + " not ready within 90 s\n" + logs);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean awaitUntil(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(500);
        }
        return check.ok();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("linger.ms", "20");
        props.put("compression.type", "lz4");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<Trace> traces) {
        for (Trace t : traces) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>("otlp_spans", t.traceIdHex(), t.request().toByteArray());
            record.headers().add("X-Scope-OrgID", t.tenant().getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
        producer.flush();
    }
}
