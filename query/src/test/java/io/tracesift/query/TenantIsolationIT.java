package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.kafkalocal.LocalKafkaExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two query instances on a real broker, three tenants whose traces share ids. Proves isolation through the HTTP
 * API (404 for foreign traces even by exact id, searches and service lists per tenant, 401s) and routing across
 * instances (lookups forwarded to the owner, searches merged from both, a standby answering for an instance
 * whose HTTP is down).
 */
class TenantIsolationIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
    static final int PARTITIONS = 4;
    static final int SHARED_TRACES = 12;
    static final Map<String, String> KEYS = Map.of("acme-key-0123456789", "acme", "globex-key-0123456789", "globex",
            "initech-key-0123456789", "initech", "operator-key-0123456789", "*");
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path stateDirs;
    static final List<Instance> INSTANCES = new ArrayList<>();

    /** One tracesift process as far as queries go: Kafka Streams with the query feed, and its HTTP server. */
    record Instance(KafkaStreams streams, HttpServer http, String base) {
        void close() {
            http.stop(0);
            streams.close(Duration.ofSeconds(20));
        }
    }

    @BeforeAll
    static void startTwoInstances() throws Exception {
        KAFKA.createTopics(PARTITIONS, "traces.acme", "traces.globex", "traces.initech");
        produceTraces();
        for (int i = 0; i < 2; i++) {
            INSTANCES.add(start(i));
        }
        waitUntil(() -> INSTANCES.stream().allMatch(in -> in.streams().state() == KafkaStreams.State.RUNNING)
                && services("acme-key-0123456789").size() == 4 && services("globex-key-0123456789").size() == 2
                && search("acme-key-0123456789", "").path("data").size() == SHARED_TRACES + 1
                && search("globex-key-0123456789", "").path("data").size() == SHARED_TRACES,
                Duration.ofSeconds(90));
        waitUntil(() -> INSTANCES.stream().allMatch(in -> !new KafkaStreamsCluster(in.streams(), null).members().isEmpty()
                && in.streams().metadataForAllStreamsClients().stream().allMatch(m -> !m.topicPartitions().isEmpty())),
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        INSTANCES.forEach(Instance::close);
    }

    static Instance start(int n) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = http.getAddress().getPort();
        QuerySettings settings = new QuerySettings(QuerySettings.DEFAULT_RETENTION, Duration.ofMinutes(1), 1000, 1500,
                Duration.ofSeconds(30), ApiKeys.of(KEYS));
        StreamsBuilder builder = new StreamsBuilder();
        RecentTraces.addTo(builder, settings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve("instance-" + n).toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        for (QueryHttp.Route route : QueryHttp.routes(streams, "127.0.0.1", port, settings, OpenTraceSource.NONE)) {
            http.createContext(route.path(), route.handler());
        }
        http.start();
        streams.start();
        return new Instance(streams, http, "http://127.0.0.1:" + port);
    }

    /** acme and globex share {@link #SHARED_TRACES} trace ids (different content); acme has one more; initech none. */
    static void produceTraces() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        long now = Instant.now().toEpochMilli();
        long t0 = (now - 60_000) * 1_000_000;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < SHARED_TRACES; i++) {
                String id = TestTraces.id(i);
                send(producer, "acme", id, TestTraces.trace(id, t0)
                        .span("frontend", 0, -1, "GET /checkout", 0, 900, false, "customer", "acme-" + i)
                        .span("cart", 1, 0, "load-cart", 100, 300, false)
                        .span("payments", 2, 0, "charge", 300, 800, i % 3 == 0).request(), now);
                send(producer, "globex", id, TestTraces.trace(id, t0)
                        .span("billing", 0, -1, "invoice", 0, 50, false, "customer", "globex-" + i)
                        .span("ledger", 1, 0, "post", 10, 40, false).request(), now);
            }
            String acmeOnly = TestTraces.id(999);
            send(producer, "acme", acmeOnly, TestTraces.trace(acmeOnly, t0)
                    .span("search", 0, -1, "query", 0, 10, false).request(), now);
            producer.flush();
        }
    }

    static void send(KafkaProducer<String, byte[]> producer, String tenant, String id, ExportTraceServiceRequest request,
                     long timestamp) throws Exception {
        producer.send(new ProducerRecord<>("traces." + tenant, null, timestamp, id, request.toByteArray())).get();
    }

    record Reply(int status, JsonNode json) {
    }

    static Reply get(Instance in, String path, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(in.base() + path)).timeout(Duration.ofSeconds(40));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), JaegerJson.MAPPER.readTree(r.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Reply as(String key, Instance in, String path) {
        return get(in, path, "Authorization", "Bearer " + key);
    }

    static Set<String> services(String key) {
        Set<String> all = new HashSet<>();
        as(key, INSTANCES.get(0), "/api/services").json().path("data").forEach(s -> all.add(s.asText()));
        return all;
    }

    static JsonNode search(String key, String query) {
        return as(key, INSTANCES.get(0), "/api/traces?limit=1000" + query).json();
    }

    static void waitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + "; " + describe());
            }
            Thread.sleep(200);
        }
    }

    private static String describe() {
        StringBuilder b = new StringBuilder();
        for (Instance in : INSTANCES) {
            b.append(in.base()).append(' ').append(in.streams().state()).append(" metadata=")
                    .append(in.streams().metadataForAllStreamsClients()).append(" services=")
                    .append(as("acme-key-0123456789", in, "/api/services").json()).append(" search=")
                    .append(as("acme-key-0123456789", in, "/api/traces?limit=2").json().path("errors")).append('\n');
        }
        return b.toString();
    }

    @Test
    void everyInstanceAnswersEveryLookupWithTheCallersTenantOnly() {
        for (Instance in : INSTANCES) {
            for (int i = 0; i < SHARED_TRACES; i++) {
                String id = TestTraces.id(i);
                Reply acme = as("acme-key-0123456789", in, "/api/traces/" + id);
                Reply globex = as("globex-key-0123456789", in, "/api/traces/" + id);
                assertThat(acme.status()).isEqualTo(200);
                assertThat(acme.json().toString()).contains("acme-" + i).doesNotContain("globex-");
                assertThat(globex.status()).isEqualTo(200);
                assertThat(globex.json().toString()).contains("globex-" + i).doesNotContain("acme-");
                Reply initech = as("initech-key-0123456789", in, "/api/traces/" + id);
                assertThat(initech.status()).isEqualTo(404);
                assertThat(initech.json().path("data").isNull()).isTrue();
            }
            assertThat(as("globex-key-0123456789", in, "/api/traces/" + TestTraces.id(999)).status()).isEqualTo(404);
            assertThat(as("globex-key-0123456789", in, "/api/v3/traces/" + TestTraces.id(999)).status()).isEqualTo(404);
            assertThat(as("acme-key-0123456789", in, "/api/v3/traces/" + TestTraces.id(999)).status()).isEqualTo(200);
        }
    }

    @Test
    void searchesMergeBothInstancesAndNeverReturnForeignData() {
        for (Instance in : INSTANCES) {
            JsonNode acme = as("acme-key-0123456789", in, "/api/traces?limit=1000").json();
            assertThat(acme.path("data")).hasSize(SHARED_TRACES + 1);
            assertThat(acme.path("errors").isNull()).isTrue();
            assertThat(acme.toString()).doesNotContain("globex-").doesNotContain("billing");
            JsonNode globex = as("globex-key-0123456789", in, "/api/traces?limit=1000&service=billing").json();
            assertThat(globex.path("data")).hasSize(SHARED_TRACES);
            assertThat(globex.toString()).doesNotContain("acme-").doesNotContain("frontend");
            assertThat(as("globex-key-0123456789", in, "/api/traces?service=frontend").json().path("data")).isEmpty();
            assertThat(as("initech-key-0123456789", in, "/api/traces").json().path("data")).isEmpty();
            JsonNode failed = as("acme-key-0123456789", in, "/api/traces?tags=%7B%22error%22%3A%22true%22%7D").json();
            assertThat(failed.path("data")).hasSize(SHARED_TRACES / 3);
            assertThat(as("acme-key-0123456789", in, "/api/traces?limit=5").json().path("data")).hasSize(5);
        }
    }

    @Test
    void serviceAndOperationListsArePerTenant() {
        for (Instance in : INSTANCES) {
            assertThat(as("acme-key-0123456789", in, "/api/services").json().path("data").toString())
                    .isEqualTo("[\"cart\",\"frontend\",\"payments\",\"search\"]");
            assertThat(as("globex-key-0123456789", in, "/api/services").json().path("data").toString())
                    .isEqualTo("[\"billing\",\"ledger\"]");
            assertThat(as("initech-key-0123456789", in, "/api/services").json().path("data")).isEmpty();
            assertThat(as("globex-key-0123456789", in, "/api/services/frontend/operations").json().path("data")).isEmpty();
            assertThat(as("acme-key-0123456789", in, "/api/dependencies").json().path("data").toString())
                    .isEqualTo("[{\"parent\":\"frontend\",\"child\":\"cart\",\"callCount\":" + SHARED_TRACES + "},"
                            + "{\"parent\":\"frontend\",\"child\":\"payments\",\"callCount\":" + SHARED_TRACES + "}]");
            assertThat(get(in, "/api/traces/" + TestTraces.id(1), "Authorization", "Bearer operator-key-0123456789",
                    "X-Scope-OrgID", "globex").json().toString()).contains("globex-1");
        }
    }

    @Test
    void missingOrWrongCredentialsAre401WithoutSayingWhetherTheTraceExists() {
        Instance in = INSTANCES.get(1);
        for (String id : List.of(TestTraces.id(1), TestTraces.id(999), TestTraces.id(5000))) {
            Reply none = get(in, "/api/traces/" + id);
            Reply wrong = get(in, "/api/traces/" + id, "Authorization", "Bearer not-a-key-0000000");
            Reply otherTenant = get(in, "/api/traces/" + id, "Authorization", "Bearer globex-key-0123456789",
                    "X-Scope-OrgID", "acme");
            assertThat(List.of(none.status(), wrong.status(), otherTenant.status())).containsOnly(401);
            assertThat(none.json().toString()).doesNotContain(id);
            assertThat(wrong.json()).isEqualTo(get(in, "/api/traces/" + TestTraces.id(5000), "Authorization",
                    "Bearer not-a-key-0000000").json());
        }
        assertThat(get(in, "/internal/query/search?startUs=0&endUs=1&minUs=0&maxUs=1&limit=1").status()).isEqualTo(401);
    }

    @Test
    void aStandbyAnswersWhileTheOwnersHttpIsDown() throws Exception {
        Instance a = INSTANCES.get(0);
        Instance b = INSTANCES.get(1);
        int bPort = b.http().getAddress().getPort();
        KafkaStreamsCluster view = new KafkaStreamsCluster(a.streams(), new Cluster.Host("127.0.0.1",
                a.http().getAddress().getPort()));
        waitUntil(() -> view.members().stream().anyMatch(m -> m.host().port() == bPort && !m.active().isEmpty())
                && view.members().stream().anyMatch(m -> m.host().port() != bPort && !m.standby().isEmpty()),
                Duration.ofSeconds(60));
        String ownedByB = null;
        for (int i = 0; i < SHARED_TRACES && ownedByB == null; i++) {
            if (view.ownerOf(TestTraces.id(i)).orElseThrow().active().port() == bPort) {
                ownedByB = TestTraces.id(i);
            }
        }
        assertThat(ownedByB).as("some trace is owned by the second instance").isNotNull();
        b.http().stop(0);
        try {
            Reply lookup = as("acme-key-0123456789", a, "/api/traces/" + ownedByB);
            assertThat(lookup.status()).isEqualTo(200);
            assertThat(lookup.json().path("data").get(0).path("warnings").toString()).contains("stale");
            JsonNode all = as("acme-key-0123456789", a, "/api/traces?limit=1000").json();
            assertThat(all.path("data")).hasSize(SHARED_TRACES + 1);
            assertThat(all.path("errors").toString()).contains("did not answer").contains("standby replica");
        } finally {
            INSTANCES.set(1, restartHttp(b, bPort));
        }
    }

    private static Instance restartHttp(Instance old, int port) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        QuerySettings settings = new QuerySettings(QuerySettings.DEFAULT_RETENTION, Duration.ofMinutes(1), 1000, 1500,
                Duration.ofSeconds(30), ApiKeys.of(KEYS));
        for (QueryHttp.Route route : QueryHttp.routes(old.streams(), "127.0.0.1", port, settings, OpenTraceSource.NONE)) {
            http.createContext(route.path(), route.handler());
        }
        http.start();
        return new Instance(old.streams(), http, old.base());
    }
}
