package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency of the HTTP API over one instance's RocksDB query stores holding many recent traces (default 50,000;
 * {@code -Dquery.bench.traces=1000000} for the figure): lookups by id and typical searches, measured end
 * to end through HTTP and checked against the targets (lookup p99 under 50 ms, search p99 under 500 ms).
 */
class QueryLatencyIT {
    static final int TRACES = Integer.getInteger("query.bench.traces", 50_000);
    static final String KEY = TenantScopeTest.ACME_KEY;
    static final String[] SERVICES = new String[20];
    static final List<KeyValueStore<Bytes, byte[]>> STORES = new java.util.ArrayList<>();
    static HttpServer server;
    static String base;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void load() throws Exception {
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).as("set by the module's pom").isEqualTo("true");
        for (int i = 0; i < SERVICES.length; i++) {
            SERVICES[i] = "service-" + i;
        }
        Instant now = Instant.now();
        QuerySettings settings = new QuerySettings(QuerySettings.DEFAULT_RETENTION, Duration.ofMinutes(1), 10_000,
                1500, Duration.ofSeconds(30), TenantScopeTest.KEYS);
        // The processor on its own stores (as one task would run it), without the test driver's commit per record.
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-latency");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(props, new TaskId(0, 0),
                Files.createTempDirectory("query-latency").toFile());
        for (String name : RecentTraces.STORES) {
            KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            STORES.add(store);
        }
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        RecentTracesProcessor processor = new RecentTracesProcessor(settings);
        processor.init(context);
        SplittableRandom random = new SplittableRandom(7);
        long loadStarted = System.nanoTime();
        long dayStartNs = (now.toEpochMilli() - 86_400_000L) * 1_000_000;
        for (int i = 0; i < TRACES; i++) {
            context.setRecordMetadata("traces.acme", 0, i);
            processor.process(new Record<>(TestTraces.id(i).getBytes(StandardCharsets.UTF_8), trace(i, random, dayStartNs),
                    now.toEpochMilli()));
        }
        STORES.forEach(KeyValueStore::flush);
        System.out.printf("loaded %,d traces in %d s%n", TRACES, (System.nanoTime() - loadStarted) / 1_000_000_000);

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Cluster.Host self = new Cluster.Host("127.0.0.1", server.getAddress().getPort());
        InternalApi internal = new InternalApi(new LocalTraceStore(new QueryStores() {
            @Override
            public ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
                return context.getStateStore(name);
            }

            @Override
            public Set<Integer> activePartitions() {
                return Set.of(0);
            }
        }), OpenTraceSource.NONE);
        QueryHttp http = new QueryHttp(new ClusterTraceQueries(new QueryHttpTest.SingleInstance(self), internal,
                new PeerClient(), settings.timeout()), internal, settings, Clock.systemUTC());
        http.routes().forEach(r -> server.createContext(r.path(), r.handler()));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        STORES.forEach(KeyValueStore::close);
    }

    /** Five spans over three services, start times spread over the last day, 2 % errors, 1 % slow. */
    static byte[] trace(int i, SplittableRandom random, long dayStartNs) {
        String a = SERVICES[random.nextInt(SERVICES.length)];
        String b = SERVICES[random.nextInt(SERVICES.length)];
        String c = SERVICES[random.nextInt(SERVICES.length)];
        long t0 = dayStartNs + random.nextLong(86_000_000_000_000L);
        long duration = random.nextInt(100) == 0 ? 3_000 + random.nextInt(5_000) : 20 + random.nextInt(400);
        boolean error = random.nextInt(50) == 0;
        ExportTraceServiceRequest request = TestTraces.trace(TestTraces.id(i), t0)
                .span(a, 0, -1, "GET /api/" + random.nextInt(30), 0, duration, error, "http.status_code", error ? "500" : "200")
                .span(b, 1, 0, "query", 1, duration / 2, false, "db.system", "postgresql")
                .span(b, 2, 1, "fetch", 2, duration / 3, false)
                .span(c, 3, 0, "publish", duration / 2, duration - 1, false, "messaging.system", "kafka")
                .span(c, 4, 3, "serialize", duration / 2 + 1, duration / 2 + 5, false)
                .request();
        return request.toByteArray();
    }

    static long getMicros(String path) throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
        long micros = (System.nanoTime() - started) / 1000;
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return micros;
    }

    static long p99(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    }

    @Test
    void lookupsByIdStayUnder50msAtP99() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            getMicros("/api/traces/" + TestTraces.id(random.nextInt(TRACES)));
        }
        long[] micros = new long[2000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = getMicros("/api/traces/" + TestTraces.id(random.nextInt(TRACES)));
        }
        System.out.printf("lookup by id over %,d traces: p50 %.2f ms, p99 %.2f ms%n", TRACES,
                percentile(micros, 0.5) / 1000.0, p99(micros) / 1000.0);
        assertThat(p99(micros)).isLessThan(50_000);
    }

    @Test
    void searchesStayUnder500msAtP99() throws Exception {
        List<String> searches = List.of(
                "/api/traces?limit=20",
                "/api/traces?service=service-3&limit=20",
                "/api/traces?service=service-7&minDuration=3s&limit=20",
                "/api/traces?service=service-5&operation=query&limit=20",
                "/api/traces?service=service-1&tags=" + URLEncoder.encode("{\"error\":\"true\"}", StandardCharsets.UTF_8) + "&limit=20",
                "/api/traces?tags=" + URLEncoder.encode("{\"http.status_code\":\"500\"}", StandardCharsets.UTF_8) + "&limit=20",
                "/api/traces?minDuration=5s&limit=20",
                "/api/traces?service=service-9&lookback=1h&limit=100");
        for (String s : searches) {
            getMicros(s);
        }
        for (String s : searches) {
            long[] micros = new long[25];
            for (int i = 0; i < micros.length; i++) {
                micros[i] = getMicros(s);
            }
            System.out.printf("search %-90s p50 %7.2f ms, p99 %7.2f ms%n", s, percentile(micros, 0.5) / 1000.0,
                    p99(micros) / 1000.0);
            assertThat(p99(micros)).as(s).isLessThan(500_000);
        }
    }

    private static long percentile(long[] micros, double q) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * q) - 1];
    }
}
