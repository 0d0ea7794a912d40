package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.tenantrouting.TenantId;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tracesift.query.RecentTracesTest.NOW;
import static io.tracesift.query.TenantScopeTest.ACME_KEY;
import static io.tracesift.query.TenantScopeTest.GLOBEX_KEY;
import static io.tracesift.query.TenantScopeTest.OPERATOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API of one instance over a TopologyTestDriver's stores, through a real HTTP server. */
class QueryHttpTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private TopologyTestDriver driver;
    private HttpServer server;
    private String base;

    private final String shared = TestTraces.id(100);
    private final String acmeOnly = TestTraces.id(101);

    @BeforeEach
    void start() throws Exception {
        QuerySettings settings = new QuerySettings(QuerySettings.DEFAULT_RETENTION, Duration.ofMinutes(1), 100, 50,
                Duration.ofSeconds(5), TenantScopeTest.KEYS);
        driver = RecentTracesTest.driver(settings);
        RecentTracesTest.send(driver, "acme", shared, RecentTracesTest.checkout(shared).request(), NOW);
        RecentTracesTest.send(driver, "acme", acmeOnly, TestTraces.trace(acmeOnly)
                .span("frontend", 0, -1, "GET /home", 2000, 2050, false).request(), NOW);
        RecentTracesTest.send(driver, "globex", shared, TestTraces.trace(shared)
                .span("billing", 0, -1, "invoice", 0, 50, false).request(), NOW);

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Cluster.Host self = new Cluster.Host("127.0.0.1", server.getAddress().getPort());
        LocalTraceStore store = RecentTracesTest.storeOf(driver);
        InternalApi internal = new InternalApi(store, new OpenTraceSource() {
            @Override
            public Optional<ExportTraceServiceRequest> find(TenantId tenant, String id) {
                return Optional.ofNullable(list(tenant, 10).get(id));
            }

            @Override
            public Map<String, ExportTraceServiceRequest> list(TenantId tenant, int limit) {
                return tenant.value().equals("acme") ? Map.of(TestTraces.id(200), TestTraces.trace(TestTraces.id(200))
                        .span("agent", 0, -1, "plan", 0, 60_000, false).request()) : Map.of();
            }
        });
        Cluster cluster = new SingleInstance(self);
        QueryHttp http = new QueryHttp(new ClusterTraceQueries(cluster, internal, new PeerClient(), settings.timeout()),
                internal, settings, Clock.fixed(NOW.plusSeconds(10), ZoneOffset.UTC));
        for (QueryHttp.Route route : http.routes()) {
            server.createContext(route.path(), route.handler());
        }
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        driver.close();
    }

    /** One instance owning partition 0. */
    record SingleInstance(Host self) implements Cluster {
        @Override
        public Optional<Owner> ownerOf(String traceIdHex) {
            return Optional.of(new Owner(0, self, List.of()));
        }

        @Override
        public List<Member> members() {
            return List.of(new Member(self, Set.of(0), Set.of()));
        }
    }

    record Reply(int status, JsonNode json, Map<String, List<String>> headers) {
    }

    Reply get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().startsWith("{") ? JaegerJson.MAPPER.readTree(r.body()) : null;
        return new Reply(r.statusCode(), json, r.headers().map());
    }

    Reply acme(String path) throws Exception {
        return get(path, "Authorization", "Bearer " + ACME_KEY);
    }

    Reply globex(String path) throws Exception {
        return get(path, "Authorization", "Bearer " + GLOBEX_KEY);
    }

    @Test
    void aTraceByIdIsTheCallersTenantsOnly() throws Exception {
        Reply a = acme("/api/traces/" + shared);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("data").get(0).path("spans")).hasSize(3);
        Reply g = globex("/api/traces/" + shared);
        assertThat(g.json().path("data").get(0).path("spans")).hasSize(1);
        assertThat(g.json().path("data").get(0).path("processes").path("p1").path("serviceName").asText()).isEqualTo("billing");

        Reply foreign = globex("/api/traces/" + acmeOnly);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("errors").get(0).path("msg").asText()).isEqualTo("trace not found");
        assertThat(globex("/api/v3/traces/" + acmeOnly).status()).isEqualTo(404);
        assertThat(globex("/api/traces?traceID=" + acmeOnly).json().path("data")).isEmpty();
    }

    @Test
    void anOperatorKeyReadsTheTenantItNames() throws Exception {
        Reply r = get("/api/traces/" + acmeOnly, "Authorization", "Bearer " + OPERATOR_KEY, "X-Scope-OrgID", "acme");
        assertThat(r.status()).isEqualTo(200);
        assertThat(get("/api/traces/" + acmeOnly, "Authorization", "Bearer " + OPERATOR_KEY, "X-Scope-OrgID", "globex")
                .status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/traces/%s", "/api/v3/traces/%s", "/api/traces/zzz", "/api/services", "/api/traces?limit=999999",
            "/internal/query/trace?traceID=%s&partitions=0"})
    void withoutAValidCredentialEverythingIs401AndSaysNothingElse(String pathTemplate) throws Exception {
        String path = pathTemplate.formatted(acmeOnly);
        for (Reply r : List.of(get(path), get(path, "Authorization", "Bearer wrong-key-123456"),
                get(path, "X-API-Key", "wrong-key-123456"), get(path, "X-Scope-OrgID", "acme"))) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers().get("www-authenticate")).containsExactly("Bearer realm=\"tracesift\"");
            assertThat(r.json().path("data").isNull()).isTrue();
            assertThat(r.json().toString()).doesNotContain(acmeOnly).doesNotContain("not found");
        }
    }

    @Test
    void searchReturnsJaegerTracesOfTheTenantNewestFirst() throws Exception {
        Reply r = acme("/api/traces?service=frontend&limit=10");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("data").findValuesAsText("traceID").stream().distinct().toList())
                .containsExactly(acmeOnly, shared);
        assertThat(r.json().path("total").asInt()).isEqualTo(2);
        assertThat(r.json().path("errors").isNull()).isTrue();
        assertThat(acme("/api/traces?service=frontend&minDuration=500ms").json().path("data")).hasSize(1);
        assertThat(acme("/api/traces?tags=%7B%22error%22%3A%22true%22%7D").json().path("data").get(0).path("traceID")
                .asText()).isEqualTo(shared);
        assertThat(globex("/api/traces?service=frontend").json().path("data")).isEmpty();
        assertThat(globex("/api/traces").json().path("data")).hasSize(1);
    }

    @Test
    void servicesOperationsAndDependenciesArePerTenant() throws Exception {
        assertThat(acme("/api/services").json().path("data").toString()).isEqualTo("[\"cart\",\"frontend\",\"payments\"]");
        assertThat(globex("/api/services").json().path("data").toString()).isEqualTo("[\"billing\"]");
        assertThat(acme("/api/services/frontend/operations").json().path("data").toString())
                .isEqualTo("[\"GET /checkout\",\"GET /home\"]");
        assertThat(acme("/api/operations?service=cart&spanKind=server").json().path("data").toString())
                .isEqualTo("[{\"name\":\"load-cart\",\"spanKind\":\"server\"}]");
        assertThat(acme("/api/operations?service=cart&spanKind=client").json().path("data")).isEmpty();
        assertThat(acme("/api/dependencies?endTs=" + NOW.toEpochMilli() + "&lookback=3600000").json().path("data").toString())
                .isEqualTo("[{\"parent\":\"frontend\",\"child\":\"cart\",\"callCount\":1},"
                        + "{\"parent\":\"frontend\",\"child\":\"payments\",\"callCount\":1}]");
        assertThat(globex("/api/dependencies").json().path("data")).isEmpty();
    }

    @Test
    void v3AnswersOtlpJson() throws Exception {
        Reply r = acme("/api/v3/traces/" + acmeOnly.toUpperCase());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("result").path("resourceSpans").get(0).path("scopeSpans").get(0).path("spans").get(0)
                .path("name").asText()).isEqualTo("GET /home");
    }

    @Test
    void anOpenTraceIsServedMarkedInProgress() throws Exception {
        Reply r = acme("/api/traces/" + TestTraces.id(200));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("data").get(0).path("warnings").get(0).asText()).startsWith("in progress");
        assertThat(globex("/api/traces/" + TestTraces.id(200)).status()).isEqualTo(404);
    }

    @Test
    void searchesIncludeMatchingOpenTracesMarkedInProgress() throws Exception {
        JsonNode open = acme("/api/traces?service=agent").json().path("data");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).path("traceID").asText()).isEqualTo(TestTraces.id(200));
        assertThat(open.get(0).path("warnings").get(0).asText()).startsWith("in progress");
        assertThat(acme("/api/traces?limit=10").json().path("data").findValuesAsText("traceID")).contains(TestTraces.id(200));
        assertThat(acme("/api/traces?service=agent&minDuration=2m").json().path("data")).isEmpty();
        assertThat(acme("/api/traces?service=agent&operation=act").json().path("data")).isEmpty();
        assertThat(globex("/api/traces?service=agent").json().path("data")).isEmpty();
    }

    @Test
    void badInputIs400SayingWhatIsValid() throws Exception {
        assertThat(acme("/api/traces/not-hex").json().path("errors").get(0).path("msg").asText())
                .contains("a trace id is 1 to 32 hex digits");
        Reply limit = acme("/api/traces?limit=51");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("errors").get(0).path("msg").asText()).contains("from 0 to 50");
        assertThat(acme("/api/traces?minDuration=fast").status()).isEqualTo(400);
        assertThat(acme("/api/traces?start=abc").status()).isEqualTo(400);
        assertThat(acme("/api/traces?colour=red").json().path("errors").get(0).path("msg").asText())
                .startsWith("unknown parameter 'colour'");
        assertThat(acme("/api/traces/" + shared + "?x=1").status()).isEqualTo(400);
        assertThat(acme("/api/operations").json().path("errors").get(0).path("msg").asText())
                .isEqualTo("parameter 'service' is required");
        assertThat(acme("/api/nothing").status()).isEqualTo(404);
    }

    @Test
    void thePageIsServedWithoutExternalResources() throws Exception {
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).doesNotContain("http://").doesNotContain("https://");
        assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/ui/app.js")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
