package io.tracesift.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean ready = new AtomicBoolean();
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        List<HttpRoute> routes = new ArrayList<>(HealthRoutes.of(new Readiness() {
            @Override
            public boolean ready() {
                return ready.get();
            }

            @Override
            public String state() {
                return ready.get() ? "RUNNING" : "REBALANCING";
            }
        }));
        routes.add(MetricsRoute.of(registry));
        routes.add(HttpRoute.prefix("/api/echo/", exchange ->
                HttpEndpoint.respond(exchange, 200, HttpEndpoint.TEXT, exchange.getRequestURI().getPath())));
        routes.add(HttpRoute.exact("/boom", exchange -> {
            throw new IllegalStateException("boom");
        }));
        endpoint = HttpEndpoint.start(0, routes);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersWhileTheProcessLives() throws Exception {
        HttpResponse<String> response = get("/healthz", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzFollowsTheReadiness() throws Exception {
        HttpResponse<String> before = get("/readyz", null);
        ready.set(true);
        HttpResponse<String> after = get("/readyz", null);

        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("not ready: REBALANCING\n");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("ready: RUNNING\n");
    }

    @Test
    void metricsServeJvmMetricsInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_current");
    }

    @Test
    void metricsServeOpenMetricsWhenAsked() throws Exception {
        HttpResponse<String> response = get("/metrics", "application/openmetrics-text; version=1.0.0");

        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void exactRoutesDoNotAnswerLongerPaths() throws Exception {
        assertThat(get("/healthzz", null).statusCode()).isEqualTo(404);
        assertThat(get("/healthz/x", null).statusCode()).isEqualTo(404);
        assertThat(get("/nothing-here", null).statusCode()).isEqualTo(404);
    }

    @Test
    void prefixRoutesAnswerEverythingBelowThem() throws Exception {
        HttpResponse<String> response = get("/api/echo/abc/def", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/api/echo/abc/def");
    }

    @Test
    void aFailingHandlerAnswersFiveHundred() throws Exception {
        assertThat(get("/boom", null).statusCode()).isEqualTo(500);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aPortInUseIsNamed() {
        int taken = endpoint.port();

        assertThatThrownBy(() -> HttpEndpoint.start(taken, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HTTP port " + taken + " is already in use; choose another with --http-port");
    }
}
