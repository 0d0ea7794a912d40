package io.tracesift.query;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Searches over several partitions (one test driver each): newest first across them, reading only what they return. */
class LocalTraceStoreTest {
    static final int PARTITIONS = 3;
    static final int TRACES = 30;

    @TempDir
    Path stateDirs;
    private final List<TopologyTestDriver> drivers = new ArrayList<>();
    private final AtomicInteger traceReads = new AtomicInteger();
    private LocalTraceStore store;

    @BeforeEach
    void load() {
        for (int p = 0; p < PARTITIONS; p++) {
            StreamsBuilder builder = new StreamsBuilder();
            RecentTraces.addTo(builder, QuerySettings.defaults(ApiKeys.of(Map.of())));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "local-trace-store-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            // One state folder per driver: each stands for one partition's task.
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve("partition-" + p).toString());
            drivers.add(new TopologyTestDriver(builder.build(), props, RecentTracesTest.NOW));
        }
        // Trace i starts i ms after T0 and lives in partition i % 3; every third trace (i % 3 == 1) failed.
        for (int i = 0; i < TRACES; i++) {
            String id = TestTraces.id(i);
            RecentTracesTest.send(drivers.get(i % PARTITIONS), "acme", id,
                    TestTraces.trace(id, TestTraces.T0_NS + i * 1_000_000L)
                            .span("frontend", 0, -1, "GET /", 0, 10, i % 3 == 1).request(),
                    RecentTracesTest.NOW);
        }
        store = new LocalTraceStore(new QueryStores() {
            @Override
            @SuppressWarnings("unchecked")
            public ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
                ReadOnlyKeyValueStore<Bytes, byte[]> real = drivers.get(partition).getKeyValueStore(name);
                if (!name.equals(RecentTraces.CHUNKS_STORE)) {
                    return real;
                }
                return (ReadOnlyKeyValueStore<Bytes, byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ReadOnlyKeyValueStore.class}, (proxy, method, args) -> {
                            if (method.getName().equals("get") || method.getName().equals("range")) {
                                traceReads.incrementAndGet();
                            }
                            return method.invoke(real, args);
                        });
            }

            @Override
            public Set<Integer> activePartitions() {
                return Set.of(0, 1, 2);
            }
        });
    }

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private static TraceSearch search(Map<String, String> tags, int limit) {
        return new TraceSearch(null, null, tags, 0, Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, limit);
    }

    private static List<String> ids(IntStream traces) {
        return traces.mapToObj(TestTraces::id).toList();
    }

    @Test
    void theNewestTracesAcrossPartitionsComeFirstAndOnlyTheyAreRead() {
        LocalTraceStore.Found found = store.search(RecentTracesTest.ACME, search(Map.of(), 5), List.of(0, 1, 2), false);

        assertThat(found.traces()).extracting(StoredTrace::traceIdHex).containsExactlyElementsOf(ids(
                IntStream.of(29, 28, 27, 26, 25)));
        assertThat(found.warnings()).isEmpty();
        // One trace read per returned trace, not `limit` from each of the three partitions.
        assertThat(traceReads).hasValue(5);
    }

    @Test
    void filtersSkipAcrossPartitionsUntilTheLimitIsReached() {
        LocalTraceStore.Found errors = store.search(RecentTracesTest.ACME, search(Map.of("error", "true"), 4),
                List.of(0, 1, 2), false);

        assertThat(errors.traces()).extracting(StoredTrace::traceIdHex).containsExactlyElementsOf(ids(
                IntStream.of(28, 25, 22, 19)));
        // The index's error flag skips clean traces without reading them.
        assertThat(traceReads).hasValue(4);
    }

    @Test
    void aLimitAboveTheTotalReturnsEveryTraceNewestFirst() {
        LocalTraceStore.Found all = store.search(RecentTracesTest.ACME, search(Map.of(), 100), List.of(0, 1, 2), false);

        assertThat(all.traces()).extracting(StoredTrace::traceIdHex).containsExactlyElementsOf(ids(
                IntStream.iterate(TRACES - 1, i -> i >= 0, i -> i - 1)));
        assertThat(store.search(RecentTracesTest.ACME, search(Map.of(), 100), List.of(1), false).traces())
                .extracting(StoredTrace::traceIdHex).containsExactlyElementsOf(ids(
                        IntStream.iterate(28, i -> i >= 0, i -> i - 3)));
    }
}
