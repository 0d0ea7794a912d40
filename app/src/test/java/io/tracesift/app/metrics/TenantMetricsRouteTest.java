package io.tracesift.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.aggregation.CounterValue;
import io.tracesift.aggregation.Exemplar;
import io.tracesift.aggregation.HistogramValue;
import io.tracesift.aggregation.SeriesKey;
import io.tracesift.aggregation.SeriesSource;
import io.tracesift.app.http.HttpEndpoint;
import io.tracesift.query.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TenantMetricsRouteTest {
    private static final String TRACE = "0123456789abcdef0123456789abcdef";
    private static final double[] BOUNDS = {0.1, 1};

    /** Two tenants' series, one histogram with an exemplar. */
    private static final SeriesSource SOURCE = visitor -> {
        visitor.visit(SeriesKey.of("acme", "traces_spanmetrics_calls_total", "service", "shop"), CounterValue.of(3));
        visitor.visit(SeriesKey.of("globex", "traces_spanmetrics_calls_total", "service", "bank"), CounterValue.of(5));
        visitor.visit(SeriesKey.of("acme", "traces_spanmetrics_latency", "service", "shop"),
                HistogramValue.single(BOUNDS, 0.5, new Exemplar(TRACE, "0123456789abcdef", 0.5, 1_700_000_000_000L)));
    };

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() {
        ApiKeys keys = ApiKeys.of(Map.of("acme-key-0001", "acme", "globex-key-0001", "globex", "operator-key-01", "*"));
        endpoint = HttpEndpoint.start(0, List.of(TenantMetricsRoute.of(SOURCE, keys)));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path, String header, String value, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
        if (header != null) {
            request.header(header, value);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null,          null,                   401",
            "X-API-Key,     wrong-key-0001,         401",
            "Authorization, Basic YWNtZTpzZWNyZXQ=, 401",
            "X-API-Key,     globex-key-0001,        403",
            "Authorization, Bearer globex-key-0001, 403",
            "X-API-Key,     acme-key-0001,          200",
            "Authorization, Bearer acme-key-0001,   200",
            "X-API-Key,     operator-key-01,        200"})
    void requiresTheTenantsCredential(String header, String value, int status) throws Exception {
        assertThat(get("/metrics/tenant/acme", header, value, null).statusCode()).isEqualTo(status);
    }

    @Test
    void servesOnlyThatTenantsSeries() throws Exception {
        HttpResponse<String> acme = get("/metrics/tenant/acme", "X-API-Key", "acme-key-0001", null);
        assertThat(acme.body()).contains("traces_spanmetrics_calls_total{service=\"shop\",tenant=\"acme\"} 3.0")
                .doesNotContain("globex").doesNotContain("bank");
        HttpResponse<String> globex = get("/metrics/tenant/globex", "X-API-Key", "operator-key-01", null);
        assertThat(globex.body()).contains("traces_spanmetrics_calls_total{service=\"bank\",tenant=\"globex\"} 5.0")
                .doesNotContain("acme");
    }

    @Test
    void openMetricsCarriesTheExemplar() throws Exception {
        HttpResponse<String> text = get("/metrics/tenant/acme", "X-API-Key", "acme-key-0001", null);
        assertThat(text.body()).doesNotContain("trace_id");
        HttpResponse<String> om = get("/metrics/tenant/acme", "X-API-Key", "acme-key-0001",
                "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
        assertThat(om.body()).contains("traces_spanmetrics_latency_bucket{service=\"shop\",tenant=\"acme\",le=\"1.0\"} 1 # {span_id=\"0123456789abcdef\",trace_id=\"" + TRACE + "\"} 0.5")
                .endsWith("# EOF\n");
    }

    @Test
    void rejectsWhatIsNotATenantId() throws Exception {
        assertThat(get("/metrics/tenant/Not..Valid", "X-API-Key", "operator-key-01", null).statusCode()).isEqualTo(404);
    }
}
