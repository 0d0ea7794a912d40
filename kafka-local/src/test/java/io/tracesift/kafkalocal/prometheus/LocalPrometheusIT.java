package io.tracesift.kafkalocal.prometheus;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The real Prometheus scrapes a /metrics page served by this test and answers PromQL about it. */
class LocalPrometheusIT {
    @RegisterExtension
    static final LocalPrometheusExtension PROMETHEUS = new LocalPrometheusExtension();

    private static final long STEP = 5;
    private static final AtomicLong scrapes = new AtomicLong();
    /** every value of demo_requests_total{route="a"} this server has shown */
    private static final Set<Long> served = ConcurrentHashMap.newKeySet();
    private static HttpServer server;

    @BeforeAll
    static void serveMetricsAndScrapeThem() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            long a = scrapes.incrementAndGet() * STEP;
            served.add(a);
            byte[] body = ("""
                    # HELP demo_requests_total Requests served.
                    # TYPE demo_requests_total counter
                    demo_requests_total{route="a"} %d
                    demo_requests_total{route="b"} 7
                    # HELP demo_latency_seconds Request latency.
                    # TYPE demo_latency_seconds histogram
                    demo_latency_seconds_bucket{le="0.1"} 3
                    demo_latency_seconds_bucket{le="1"} 9
                    demo_latency_seconds_bucket{le="+Inf"} 10
                    demo_latency_seconds_sum 4.2
                    demo_latency_seconds_count 10
                    """).formatted(a).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        PROMETHEUS.scrape("demo", "127.0.0.1:" + server.getAddress().getPort());
        PROMETHEUS.awaitTargetsUp("demo", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void countersAreScrapedEverySecondAndRateIsPositive() {
        LocalPrometheus prometheus = PROMETHEUS.prometheus();
        // at least three scrapes in the window, so rate() has points to work with
        prometheus.awaitQuery("count_over_time(demo_requests_total{route=\"a\"}[30s])",
                r -> !r.isEmpty() && r.single() >= 3, Duration.ofSeconds(30));

        QueryResult byRoute = prometheus.query("sum by (route) (demo_requests_total)");
        assertThat(byRoute.resultType()).isEqualTo("vector");
        assertThat(byRoute.find(Map.of("route", "b")).orElseThrow().value()).isEqualTo(7.0);
        double a = byRoute.find(Map.of("route", "a")).orElseThrow().value();
        assertThat(served).contains((long) a);

        assertThat(prometheus.value("sum(rate(demo_requests_total{route=\"a\"}[30s]))")).isPositive();
        assertThat(prometheus.value("sum(rate(demo_requests_total{route=\"b\"}[30s]))")).isZero();
        assertThat(prometheus.value("up{job=\"demo\"}")).isEqualTo(1.0);
    }

    @Test
    void histogramQuantileAndScalarResults() {
        // buckets 3 / 9 / 10 of 10: the median falls in (0.1, 1]
        double median = PROMETHEUS.value("histogram_quantile(0.5, sum by (le) (demo_latency_seconds_bucket))");
        assertThat(median).isGreaterThan(0.1).isLessThanOrEqualTo(1.0);
        assertThat(PROMETHEUS.value("demo_latency_seconds_sum / demo_latency_seconds_count")).isCloseTo(0.42, within(1e-12));

        QueryResult scalar = PROMETHEUS.query("scalar(sum(demo_requests_total{route=\"b\"})) * 2");
        assertThat(scalar.resultType()).isEqualTo("scalar");
        assertThat(scalar.single()).isEqualTo(14.0);
        assertThat(PROMETHEUS.query("demo_requests_total{route=\"nope\"}").isEmpty()).isTrue();
        assertThat(PROMETHEUS.query("1 / 0").single()).isInfinite();
    }

    @Test
    void invalidPromQlIsRejectedWithPrometheusMessage() {
        assertThatThrownBy(() -> PROMETHEUS.query("sum(rate(demo_requests_total[5m])"))
                .isInstanceOf(PrometheusException.class)
                .hasMessageContaining("bad_data")
                .hasMessageContaining("parse error");
        assertThatThrownBy(() -> PROMETHEUS.query("rate(demo_requests_total)"))
                .isInstanceOf(PrometheusException.class)
                .hasMessageContaining("range vector");
    }

    @Test
    void aTargetThatIsDownIsReportedWithItsError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LocalPrometheus prometheus = PROMETHEUS.prometheus();
        prometheus.scrape("nobody", "127.0.0.1:" + closedPort);
        try {
            // Prometheus publishes new targets at most every 5 s, so give it a few rounds
            assertThatThrownBy(() -> prometheus.awaitTargetsUp("nobody", Duration.ofSeconds(15)))
                    .isInstanceOf(PrometheusException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort)
                    .hasMessageContaining("connection refused");
            // the other job keeps being scraped
            prometheus.awaitTargetsUp("demo", Duration.ofSeconds(5));
        } finally {
            prometheus.stopScraping("nobody");
        }
    }

    @Test
    void closeStopsTheProcessAndDeletesItsFolder() throws Exception {
        LocalPrometheus second = LocalPrometheus.start();
        ProcessHandle process = ProcessHandle.of(second.pid()).orElseThrow();
        Path folder = Path.of(process.info().arguments().map(List::of).orElseThrow().stream()
                .filter(arg -> arg.startsWith("--storage.tsdb.path=")).findFirst().orElseThrow()
                .substring("--storage.tsdb.path=".length())).getParent();
        assertThat(folder.resolve("prometheus.yml")).exists();
        assertThat(second.port()).isNotEqualTo(PROMETHEUS.prometheus().port());
        assertThat(second.value("vector(3)")).isEqualTo(3.0);

        second.close();
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.exists(folder)).isFalse();
        second.close();
    }

    @Test
    void aMissingBinaryFailsWithHowToInstallIt() {
        String previous = System.getProperty(LocalPrometheus.BINARY_PROPERTY);
        System.setProperty(LocalPrometheus.BINARY_PROPERTY, "/nonexistent/prometheus");
        try {
            assertThatThrownBy(LocalPrometheus::start)
                    .isInstanceOf(PrometheusException.class)
                    .hasMessageContaining("/nonexistent/prometheus")
                    .hasMessageContaining(".ci/install-packages");
        } finally {
            if (previous == null) {
                System.clearProperty(LocalPrometheus.BINARY_PROPERTY);
            } else {
                System.setProperty(LocalPrometheus.BINARY_PROPERTY, previous);
            }
        }
    }
}
