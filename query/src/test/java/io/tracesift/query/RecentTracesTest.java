package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RecentTracesTest {
    static final Instant NOW = Instant.ofEpochMilli(TestTraces.T0_NS / 1_000_000 + 60_000);
    static final TenantId ACME = new TenantId("acme");
    static final TenantId GLOBEX = new TenantId("globex");
    static final List<Integer> ALL = List.of(0);

    private TopologyTestDriver driver;
    private LocalTraceStore store;

    static TopologyTestDriver driver(QuerySettings settings) {
        return driver(settings, NOW);
    }

    static TopologyTestDriver driver(QuerySettings settings, Instant wallClock) {
        StreamsBuilder builder = new StreamsBuilder();
        RecentTraces.addTo(builder, settings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), props, wallClock);
    }

    /** The driver's stores as one partition (0). */
    static LocalTraceStore storeOf(TopologyTestDriver driver) {
        return new LocalTraceStore(new QueryStores() {
            @Override
            public ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
                return driver.getKeyValueStore(name);
            }

            @Override
            public Set<Integer> activePartitions() {
                return Set.of(0);
            }
        });
    }

    static void send(TopologyTestDriver driver, String tenant, String traceId, ExportTraceServiceRequest request,
                     Instant at, String... headers) {
        TestInputTopic<String, byte[]> topic = driver.createInputTopic("traces." + tenant, new StringSerializer(),
                new ByteArraySerializer());
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.US_ASCII));
        }
        topic.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(traceId, request.toByteArray(), h, at));
    }

    @BeforeEach
    void start() {
        driver = driver(QuerySettings.defaults(ApiKeys.of(Map.of())));
        store = storeOf(driver);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static TestTraces checkout(String traceId) {
        return TestTraces.trace(traceId)
                .span("frontend", 0, -1, "GET /checkout", 0, 900, false)
                .span("cart", 1, 0, "load-cart", 100, 300, false, "cart.items", "3")
                .span("payments", 2, 0, "charge", 300, 800, true);
    }

    @Test
    void aWholeTraceIsStoredAndReadBackWithItsSummary() {
        String id = TestTraces.id(1);
        send(driver, "acme", id, checkout(id).request(), NOW);

        StoredTrace trace = store.trace(ACME, id, 0, false).orElseThrow();
        assertThat(trace.spanCount()).isEqualTo(3);
        assertThat(trace.errorSpans()).isEqualTo(1);
        assertThat(trace.durationNs()).isEqualTo(900_000_000L);
        assertThat(trace.warnings()).isEmpty();
        assertThat(trace.spans()).isEqualTo(checkout(id).request());
        // A search reads the trace without its summary and must answer the same figures.
        assertThat(store.search(ACME, search(null, null, Map.of()), ALL, false).traces()).containsExactly(trace);
    }

    @Test
    void indexEntriesWrittenWithoutARecordCountStillFindTheirTrace() {
        String id = TestTraces.id(9);
        send(driver, "acme", id, checkout(id).chunks(2).get(0), NOW, "tracesift.chunk.count", "2");
        send(driver, "acme", id, checkout(id).chunks(2).get(1), NOW, "tracesift.chunk.count", "2");
        StoredTrace whole = store.trace(ACME, id, 0, false).orElseThrow();
        // The layout before the record count: duration µs and the error flag only.
        KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(RecentTraces.INDEX_STORE);
        List<Bytes> keys = new ArrayList<>();
        index.all().forEachRemaining(kv -> keys.add(kv.key));
        assertThat(keys).hasSize(4);
        keys.forEach(k -> index.put(k, ByteBuffer.allocate(9).putLong(900_000).put((byte) 1).array()));

        assertThat(store.search(ACME, search("cart", null, Map.of()), ALL, false).traces()).containsExactly(whole);
        assertThat(whole.spans().getResourceSpansCount()).isEqualTo(3);
    }

    @Test
    void chunksAreReassembledAndTheTraceIsSearchableOnlyOnceAllArrived() {
        String id = TestTraces.id(2);
        List<ExportTraceServiceRequest> chunks = checkout(id).chunks(3);
        TraceSearch all = search(null, null, Map.of());

        send(driver, "acme", id, chunks.get(0), NOW, "tracesift.chunk.index", "0", "tracesift.chunk.count", "3");
        send(driver, "acme", id, chunks.get(1), NOW, "tracesift.chunk.index", "1", "tracesift.chunk.count", "3");
        assertThat(store.search(ACME, all, ALL, false).traces()).isEmpty();
        assertThat(store.trace(ACME, id, 0, false).orElseThrow().warnings())
                .containsExactly("incomplete: 2 of 3 chunks of this trace have arrived so far");

        send(driver, "acme", id, chunks.get(2), NOW, "tracesift.chunk.index", "2", "tracesift.chunk.count", "3");
        StoredTrace whole = store.trace(ACME, id, 0, false).orElseThrow();
        assertThat(whole.warnings()).isEmpty();
        assertThat(whole.spanCount()).isEqualTo(3);
        assertThat(whole.spans().getResourceSpansCount()).isEqualTo(3);
        assertThat(store.search(ACME, all, ALL, false).traces()).containsExactly(whole);
        assertThat(store.dependencies(ACME, NOW.toEpochMilli(), 3_600_000, ALL, false)).containsExactlyInAnyOrder(
                new LocalTraceStore.Dependency("frontend", "cart", 1),
                new LocalTraceStore.Dependency("frontend", "payments", 1));
    }

    @Test
    void dependenciesSumEveryHourOfTheWindowInNameOrder() {
        long hourNs = 3_600_000_000_000L;
        for (int i = 0; i < 3; i++) {
            String id = TestTraces.id(40 + i);
            send(driver, "acme", id, TestTraces.trace(id, TestTraces.T0_NS - i * hourNs)
                    .span("web", 0, -1, "GET /", 0, 100, false)
                    .span("db", 1, 0, "query", 10, 20, false)
                    .span("auth", 2, 0, "check", 20, 30, false)
                    .span("auth", 3, 0, "check", 30, 40, false).request(), NOW);
        }
        assertThat(store.dependencies(ACME, NOW.toEpochMilli(), 86_400_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 6),
                new LocalTraceStore.Dependency("web", "db", 3));
        assertThat(store.dependencies(ACME, NOW.toEpochMilli(), 60_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 2),
                new LocalTraceStore.Dependency("web", "db", 1));
    }

    @Test
    void dependenciesKeptFromAnEarlierAnswerFollowEveryLaterChangeOfTheirHour() {
        long hourNs = 3_600_000_000_000L;
        String first = TestTraces.id(50);
        send(driver, "acme", first, TestTraces.trace(first, TestTraces.T0_NS - 2 * hourNs)
                .span("web", 0, -1, "GET /", 0, 100, false).span("db", 1, 0, "query", 10, 20, false).request(), NOW);
        String now = TestTraces.id(51);
        send(driver, "acme", now, TestTraces.trace(now, TestTraces.T0_NS)
                .span("web", 0, -1, "GET /", 0, 100, false).span("auth", 1, 0, "check", 10, 20, false).request(), NOW);
        long end = NOW.toEpochMilli();
        assertThat(store.dependencies(ACME, end, 86_400_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 1), new LocalTraceStore.Dependency("web", "db", 1));

        // A late-decided trace lands in the kept hour two hours back: that hour is read again, the others are not.
        String late = TestTraces.id(52);
        send(driver, "acme", late, TestTraces.trace(late, TestTraces.T0_NS - 2 * hourNs + 5_000_000)
                .span("web", 0, -1, "GET /", 0, 100, false).span("db", 1, 0, "query", 10, 20, false)
                .span("cache", 2, 0, "get", 20, 30, false).request(), NOW);
        assertThat(store.dependencies(ACME, end, 86_400_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 1), new LocalTraceStore.Dependency("web", "cache", 1),
                new LocalTraceStore.Dependency("web", "db", 2));
        // A standby's copy and a window too wide to visit hour by hour are read in one range each.
        assertThat(store.dependencies(ACME, end, 40L * 86_400_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 1), new LocalTraceStore.Dependency("web", "cache", 1),
                new LocalTraceStore.Dependency("web", "db", 2));
        assertThat(store.dependencies(ACME, end, 86_400_000, ALL, true)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 1), new LocalTraceStore.Dependency("web", "cache", 1),
                new LocalTraceStore.Dependency("web", "db", 2));
        // A window that starts inside the kept hours still sees only its own hours.
        assertThat(store.dependencies(ACME, end, 60_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "auth", 1));
        assertThat(store.dependencies(ACME, end - 2 * 3_600_000, 60_000, ALL, false)).containsExactly(
                new LocalTraceStore.Dependency("web", "cache", 1), new LocalTraceStore.Dependency("web", "db", 2));
    }

    @Test
    void lateSpansJoinTheirTraceAndItsIndex() {
        String id = TestTraces.id(3);
        send(driver, "acme", id, checkout(id).request(), NOW);
        send(driver, "acme", id, TestTraces.trace(id).span("audit", 7, 0, "record", 950, 990, false).request(),
                NOW.plusSeconds(5), "tracesift.late", "true");

        StoredTrace trace = store.trace(ACME, id, 0, false).orElseThrow();
        assertThat(trace.spanCount()).isEqualTo(4);
        assertThat(trace.durationNs()).isEqualTo(990_000_000L);
        assertThat(store.search(ACME, search("audit", null, Map.of()), ALL, false).traces()).containsExactly(trace);
        assertThat(store.services(ACME, ALL, false)).containsExactly("audit", "cart", "frontend", "payments");
    }

    @Test
    void tenantsSharingATraceIdNeverSeeEachOther() {
        String id = TestTraces.id(4);
        send(driver, "acme", id, checkout(id).request(), NOW);
        send(driver, "globex", id, TestTraces.trace(id).span("billing", 0, -1, "invoice", 0, 50, false).request(), NOW);

        assertThat(store.trace(ACME, id, 0, false).orElseThrow().spanCount()).isEqualTo(3);
        assertThat(store.trace(GLOBEX, id, 0, false).orElseThrow().spanCount()).isEqualTo(1);
        assertThat(store.trace(new TenantId("initech"), id, 0, false)).isEmpty();
        assertThat(store.services(GLOBEX, ALL, false)).containsExactly("billing");
        assertThat(store.search(GLOBEX, search("frontend", null, Map.of()), ALL, false).traces()).isEmpty();
    }

    @Test
    void searchFiltersByServiceOperationTagsAndDurationNewestFirst() {
        String slowFailed = TestTraces.id(5);
        String fast = TestTraces.id(6);
        send(driver, "acme", slowFailed, checkout(slowFailed).request(), NOW);
        send(driver, "acme", fast, TestTraces.trace(fast)
                .span("frontend", 0, -1, "GET /home", 2000, 2050, false, "http.route", "/home").request(), NOW);

        assertThat(ids(search(null, null, Map.of()))).containsExactly(fast, slowFailed);
        assertThat(ids(search("frontend", "GET /home", Map.of()))).containsExactly(fast);
        assertThat(ids(search("cart", "GET /home", Map.of()))).isEmpty();
        assertThat(ids(search(null, null, Map.of("cart.items", "3")))).containsExactly(slowFailed);
        assertThat(ids(search(null, null, Map.of("error", "true")))).containsExactly(slowFailed);
        assertThat(ids(search("frontend", null, Map.of("error", "true")))).isEmpty();
        assertThat(ids(new TraceSearch(null, null, Map.of(), 0, Long.MAX_VALUE / 2, 500_000, Long.MAX_VALUE, 10)))
                .containsExactly(slowFailed);
        assertThat(ids(new TraceSearch(null, null, Map.of(), 0, Long.MAX_VALUE / 2, 0, 100_000, 10)))
                .containsExactly(fast);
        assertThat(ids(new TraceSearch(null, null, Map.of(), 0, Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, 1)))
                .containsExactly(fast);
        long fastStartUs = TestTraces.T0_NS / 1000 + 2_000_000;
        assertThat(ids(new TraceSearch(null, null, Map.of(), 0, fastStartUs - 1, 0, Long.MAX_VALUE, 10)))
                .containsExactly(slowFailed);
    }

    @Test
    void operationsArePerServiceWithTheirSpanKind() {
        String id = TestTraces.id(7);
        send(driver, "acme", id, checkout(id).request(), NOW);
        assertThat(store.operations(ACME, "cart", ALL, false))
                .containsExactly(new LocalTraceStore.Operation("cart", "load-cart", 2));
        assertThat(store.operations(ACME, null, ALL, false)).hasSize(3);
    }

    @Test
    void anOperationsLastSeenTimeIsRewrittenAtMostOnceAMinute() {
        Bytes key = Bytes.wrap(QueryKeys.operation(ACME, "cart", 2, "load-cart"));
        for (int i = 0; i < 3; i++) {
            String id = TestTraces.id(20 + i);
            send(driver, "acme", id, checkout(id).request(), NOW.plus(Duration.ofSeconds(i * 30L)));
        }
        assertThat(lastSeen(key)).isEqualTo(NOW.toEpochMilli());

        send(driver, "acme", TestTraces.id(23), checkout(TestTraces.id(23)).request(), NOW.plus(Duration.ofSeconds(61)));
        assertThat(lastSeen(key)).isEqualTo(NOW.plus(Duration.ofSeconds(61)).toEpochMilli());
    }

    private long lastSeen(Bytes operationKey) {
        byte[] value = driver.<Bytes, byte[]>getKeyValueStore(RecentTraces.OPERATIONS_STORE).get(operationKey);
        return java.nio.ByteBuffer.wrap(value).getLong();
    }

    @Test
    void tracesExpireAfterTheRetentionWithTheirIndexAndOperations() {
        driver.close();
        driver = driver(new QuerySettings(Duration.ofHours(1), Duration.ofMinutes(1), 10, 100, Duration.ofSeconds(30),
                ApiKeys.of(Map.of())));
        store = storeOf(driver);
        String old = TestTraces.id(8);
        String young = TestTraces.id(9);
        send(driver, "acme", old, checkout(old).request(), NOW);
        send(driver, "acme", young, TestTraces.trace(young).span("search", 0, -1, "query", 0, 10, false).request(),
                NOW.plus(Duration.ofMinutes(40)));

        driver.advanceWallClockTime(Duration.ofMinutes(59));
        assertThat(store.trace(ACME, old, 0, false)).isPresent();

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(store.trace(ACME, old, 0, false)).isEmpty();
        assertThat(store.trace(ACME, young, 0, false)).isPresent();
        assertThat(ids(search(null, null, Map.of()))).containsExactly(young);
        assertThat(store.services(ACME, ALL, false)).containsExactly("search");
        assertThat(driver.getKeyValueStore(RecentTraces.CHUNKS_STORE).approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void recordsThatCannotBeStoredAreSkipped() {
        send(driver, "acme", "not-a-trace-id", checkout(TestTraces.id(10)).request(), NOW);
        String id = TestTraces.id(11);
        TestInputTopic<String, byte[]> topic = driver.createInputTopic("traces.acme", new StringSerializer(),
                new ByteArraySerializer());
        topic.pipeInput(id, new byte[] {1, 2, 3}, NOW);
        send(driver, "acme", TestTraces.id(12), checkout(TestTraces.id(12)).request(), NOW.minus(Duration.ofDays(2)));

        assertThat(store.trace(ACME, id, 0, false)).isEmpty();
        assertThat(store.trace(ACME, TestTraces.id(12), 0, false)).isEmpty();
        assertThat(driver.getKeyValueStore(RecentTraces.TRACES_STORE).approximateNumEntries()).isZero();
    }

    private List<String> ids(TraceSearch search) {
        return store.search(ACME, search, ALL, false).traces().stream().map(StoredTrace::traceIdHex).toList();
    }

    static TraceSearch search(String service, String operation, Map<String, String> tags) {
        return new TraceSearch(service, operation, tags, 0, Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, 100);
    }
}
