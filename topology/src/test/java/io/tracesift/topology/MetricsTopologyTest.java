package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.aggregation.CounterValue;
import io.tracesift.aggregation.HistogramValue;
import io.tracesift.aggregation.Label;
import io.tracesift.aggregation.SeriesKey;
import io.tracesift.aggregation.SeriesValue;
import io.tracesift.tenantrouting.TenantId;

import com.google.protobuf.ByteString;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.KEPT_BY_CHANCE;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Span metrics at ingest and service graph at decision time, counted in changelogged stores. */
class MetricsTopologyTest {
    private static final String CALLS = "traces_spanmetrics_calls_total";

    /**
     * A checkout trace: frontend SERVER root (100 ms) → frontend CLIENT (50 ms) → payments SERVER (40 ms, error
     * when asked). Each service is its own resource.
     */
    private static ExportTraceServiceRequest checkout(ByteString traceId, boolean error) {
        Span root = Otlp.span(traceId, 1, 0, T0 - 1000, T0 - 900, false).toBuilder().setName("GET /checkout").build();
        Span call = Otlp.span(traceId, 2, 1, T0 - 990, T0 - 940, false).toBuilder().setName("POST /charge")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT).build();
        Span charge = Otlp.span(traceId, 3, 2, T0 - 985, T0 - 945, error).toBuilder().setName("charge").build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "frontend"), List.of(root, call)))
                .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "payments"), List.of(charge)))
                .build();
    }

    private static String key(String family, String... labels) {
        StringBuilder b = new StringBuilder(family).append("{tenant=acme");
        for (int i = 0; i < labels.length; i += 2) {
            b.append(',').append(labels[i]).append('=').append(labels[i + 1]);
        }
        return b.append('}').toString();
    }

    /** Every stored series of a store, rendered "family{tenant=..,label=value,..}". */
    static Map<String, SeriesValue> series(KeyValueStore<Bytes, byte[]> store) {
        Map<String, SeriesValue> out = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                SeriesKey k = SeriesKey.fromBytes(kv.key.get());
                StringBuilder b = new StringBuilder(k.family()).append("{tenant=").append(k.tenant());
                for (Label l : k.labels()) {
                    b.append(',').append(l.name()).append('=').append(l.value());
                }
                out.put(b.append('}').toString(), SeriesValue.fromBytes(kv.value));
            });
        }
        return out;
    }

    private static long counter(Map<String, SeriesValue> series, String key) {
        SeriesValue v = series.get(key);
        assertThat(v).as(key).isInstanceOf(CounterValue.class);
        return ((CounterValue) v).value();
    }

    private static HistogramValue histogram(Map<String, SeriesValue> series, String key) {
        SeriesValue v = series.get(key);
        assertThat(v).as(key).isInstanceOf(HistogramValue.class);
        return (HistogramValue) v;
    }

    @Test
    void countsEverySpanAtIngestAndEveryDecidedTraceInTheServiceGraph() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (int i = 0; i < 5; i++) {
                f.send("acme", checkout(Otlp.traceId(i, DROPPED_BY_CHANCE), false));
            }
            ByteString failed = Otlp.traceId(100, DROPPED_BY_CHANCE);
            f.send("acme", checkout(failed, true));
            f.send("acme", checkout(Otlp.traceId(101, DROPPED_BY_CHANCE), true));

            // Span metrics are there before any decision.
            Map<String, SeriesValue> spans = series(f.store(MetricsStores.SPAN_METRICS_STORE));
            String rootLabels = "service=frontend,span_name=GET /checkout,span_kind=SPAN_KIND_SERVER,status_code=STATUS_CODE_UNSET";
            assertThat(counter(spans, key(CALLS, "service", "frontend", "span_name", "GET /checkout",
                    "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"))).isEqualTo(7);
            assertThat(counter(spans, key(CALLS, "service", "payments", "span_name", "charge",
                    "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_ERROR"))).isEqualTo(2);
            assertThat(counter(spans, key(CALLS, "service", "payments", "span_name", "charge",
                    "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"))).isEqualTo(5);
            HistogramValue rootLatency = histogram(spans, "traces_spanmetrics_latency{tenant=acme," + rootLabels + "}");
            assertThat(rootLatency.count()).isEqualTo(7);
            assertThat(rootLatency.sum()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
            // Dropped-by-chance, fast, error-free traces never become exemplars; the error spans of kept traces do.
            assertThat(rootLatency.exemplar()).isNull();
            HistogramValue errorLatency = histogram(spans, "traces_spanmetrics_latency{tenant=acme,service=payments,"
                    + "span_name=charge,span_kind=SPAN_KIND_SERVER,status_code=STATUS_CODE_ERROR}");
            assertThat(errorLatency.exemplar()).isNotNull();
            assertThat(errorLatency.exemplar().traceIdHex()).isIn(Otlp.hex(failed), Otlp.hex(Otlp.traceId(101, DROPPED_BY_CHANCE)));
            assertThat(series(f.store(MetricsStores.TRACE_METRICS_STORE))).isEmpty();

            f.advance(Duration.ofSeconds(3));
            Map<String, SeriesValue> graph = series(f.store(MetricsStores.TRACE_METRICS_STORE));
            String edge = "client=frontend,server=payments,connection_type=";
            assertThat(counter(graph, "traces_service_graph_request_total{tenant=acme," + edge + "}")).isEqualTo(7);
            assertThat(counter(graph, "traces_service_graph_request_failed_total{tenant=acme," + edge + "}")).isEqualTo(2);
            HistogramValue server = histogram(graph, "traces_service_graph_request_server_seconds{tenant=acme," + edge + "}");
            assertThat(server.count()).isEqualTo(7);
            assertThat(server.sum()).isCloseTo(7 * 0.04, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(server.exemplar().traceIdHex()).isIn(Otlp.hex(failed), Otlp.hex(Otlp.traceId(101, DROPPED_BY_CHANCE)));
            assertThat(counter(graph, "traces_service_graph_request_total{tenant=acme,client=user,server=frontend,"
                    + "connection_type=virtual_node}")).isEqualTo(7);
            assertThat(f.counters.keptSpansByRule()).containsEntry("error", 6L);
            assertThat(f.counters.droppedSpansByRule()).containsEntry("probabilistic", 15L);
            assertThat(f.counters.decisionDelay().bucketCounts()).containsOnly(0, 7).contains(7);

            // A late span follows the decision: counted at ingest, not in the (already decided) graph.
            f.send("acme", Otlp.request("payments", Otlp.span(failed, 9, 3, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(3));
            assertThat(series(f.store(MetricsStores.TRACE_METRICS_STORE))).isEqualTo(graph);
            assertThat(counter(series(f.store(MetricsStores.SPAN_METRICS_STORE)), key(CALLS, "service", "payments",
                    "span_name", "op-9", "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"))).isEqualTo(1);
        }
    }

    @Test
    void incrementsReachTheStoreAndItsChangelogAtTheCommitOncePerSeries() {
        String changelog = "tracesift-test-" + MetricsStores.SPAN_METRICS_STORE + "-changelog";
        byte[] calls = SeriesKey.of("acme", CALLS, "service", "svc", "span_name", "op", "span_kind", "SPAN_KIND_SERVER",
                "status_code", "STATUS_CODE_UNSET").toBytes();
        try (TopologyFixture f = new TopologyFixture()) {
            for (int spans : new int[] {10, 5}) {
                ByteString trace = Otlp.traceId(spans, DROPPED_BY_CHANCE);
                List<Span> record = new ArrayList<>();
                for (int i = 1; i <= spans; i++) {
                    record.add(Otlp.span(trace, i, i == 1 ? 0 : 1, T0 - 100, T0, false).toBuilder().setName("op").build());
                }
                // The driver commits after each record: the ten (then five) increments arrive as one update.
                f.send("acme", Otlp.request(Map.of("service.name", "svc"), record));
                List<Long> updates = f.records(changelog).stream().filter(r -> java.util.Arrays.equals(r.key(), calls))
                        .map(r -> ((CounterValue) SeriesValue.fromBytes(r.value())).value()).toList();
                assertThat(updates).containsExactly(spans == 10 ? 10L : 15L);
            }
            assertThat(counter(series(f.store(MetricsStores.SPAN_METRICS_STORE)), key(CALLS, "service", "svc",
                    "span_name", "op", "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"))).isEqualTo(15);
        }
    }

    @Test
    void incrementsStayInMemoryUntilTheCacheFlushAndDieWithTheStoresReinitialisation() {
        TopologySettings settings = TopologySettings.fromConfig(Map.of(), new ArrayList<>());
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_700_000_000_000L);
        KeyValueStore<Bytes, byte[]> store = spanMetricsStore(context);
        SpanMetricsRecorder recorder = SpanMetricsRecorder.of(settings, new TenantDirectory(settings, Set::of));
        recorder.init(context);
        Span span = Otlp.span(Otlp.traceId(1, DROPPED_BY_CHANCE), 1, 0, T0 - 100, T0, false);
        ResourceSpans rs = Otlp.resourceSpans(Map.of("service.name", "svc"), List.of(span));
        String calls = key(CALLS, "service", "svc", "span_name", "op-1", "span_kind", "SPAN_KIND_SERVER",
                "status_code", "STATUS_CODE_UNSET");

        recorder.span(new TenantId("acme"), rs, rs.getScopeSpans(0), span);
        assertThat(series(store)).isEmpty();
        ((SeriesBufferStore) store).flushCache();
        assertThat(counter(series(store), calls)).isEqualTo(1);

        // A task closed dirty is re-initialised (its store restored from the changelog): the uncommitted increment dies.
        recorder.span(new TenantId("acme"), rs, rs.getScopeSpans(0), span);
        store.init(context.getStateStoreContext(), store);
        recorder.init(context);
        ((SeriesBufferStore) store).flushCache();
        assertThat(counter(series(store), calls)).isEqualTo(1);
    }

    /** The span metrics store as the topology builds it, in memory, initialised and registered with the context. */
    private static KeyValueStore<Bytes, byte[]> spanMetricsStore(MockProcessorContext<Object, Object> context) {
        KeyValueStore<Bytes, byte[]> store = SeriesBufferStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MetricsStores.SPAN_METRICS_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    @Test
    void keptByChanceTracesGiveExemplarsAtIngest() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString kept = Otlp.traceId(7, KEPT_BY_CHANCE);
            f.send("acme", checkout(kept, false));
            HistogramValue root = histogram(series(f.store(MetricsStores.SPAN_METRICS_STORE)), "traces_spanmetrics_latency"
                    + "{tenant=acme,service=frontend,span_name=GET /checkout,span_kind=SPAN_KIND_SERVER,status_code=STATUS_CODE_UNSET}");
            assertThat(root.exemplar().traceIdHex()).isEqualTo(Otlp.hex(kept));
            assertThat(root.exemplar().spanIdHex()).isEqualTo(Otlp.hex(Otlp.spanId(1)));
            assertThat(root.exemplar().value()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void disabledMetricsLeaveOutTheStoresAndThePipelineStillWorks() {
        try (TopologyFixture f = new TopologyFixture(Map.of("metrics", Map.of("enabled", false)))) {
            f.send("acme", checkout(Otlp.traceId(1, DROPPED_BY_CHANCE), true));
            f.advance(Duration.ofSeconds(3));
            assertThat(f.store(MetricsStores.SPAN_METRICS_STORE)).isNull();
            assertThat(f.store(MetricsStores.TRACE_METRICS_STORE)).isNull();
            assertThat(f.outputRequests("acme")).hasSize(1);
        }
    }

    @Test
    void restartOverTheSameStateContinuesTheCountsAndTheCardinalityLimit() {
        Map<String, Object> config = Map.of("metrics", Map.of("cardinality_limit", 2));
        TopologySettings settings = TopologySettings.fromConfig(config, new ArrayList<>());
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_700_000_000_000L);
        KeyValueStore<Bytes, byte[]> store = spanMetricsStore(context);

        // Three span names in three records: the third is over the limit of 2 series per family.
        SpanMetricsRecorder first = SpanMetricsRecorder.of(settings, new TenantDirectory(settings, Set::of));
        first.init(context);
        for (int name = 1; name <= 3; name++) {
            record(first, store, Otlp.span(Otlp.traceId(name, DROPPED_BY_CHANCE), name, 0, T0 - 100, T0, false));
        }
        // A restarted task: a new processor initialised over the restored store.
        SpanMetricsRecorder second = SpanMetricsRecorder.of(settings, new TenantDirectory(settings, Set::of));
        second.init(context);
        record(second, store, Otlp.span(Otlp.traceId(4, DROPPED_BY_CHANCE), 1, 0, T0 - 100, T0, false));
        record(second, store, Otlp.span(Otlp.traceId(5, DROPPED_BY_CHANCE), 4, 0, T0 - 100, T0, false));

        Map<String, SeriesValue> spans = series(store);
        assertThat(counter(spans, key(CALLS, "service", "svc", "span_name", "op-1", "span_kind", "SPAN_KIND_SERVER",
                "status_code", "STATUS_CODE_UNSET"))).isEqualTo(2);
        assertThat(counter(spans, key(CALLS, "service", "svc", "span_name", "op-2", "span_kind", "SPAN_KIND_SERVER",
                "status_code", "STATUS_CODE_UNSET"))).isEqualTo(1);
        // op-3 (before the restart) and op-4 (after it: the limiter was rebuilt from the stored keys) overflowed.
        assertThat(counter(spans, key(CALLS, "otel_metric_overflow", "true"))).isEqualTo(2);
        assertThat(counter(spans, "tracesift_metrics_overflow_total{tenant=acme,metric=" + CALLS + "}")).isEqualTo(2);
        assertThat(spans.keySet()).noneMatch(k -> k.contains("op-3") || k.contains("op-4"));
    }

    /** One record of one span, then a commit (which flushes the store's cache and so the metric buffer). */
    private static void record(SpanMetricsRecorder recorder, KeyValueStore<Bytes, byte[]> store, Span span) {
        ResourceSpans rs = Otlp.resourceSpans(Map.of("service.name", "svc"), List.of(span));
        recorder.span(new TenantId("acme"), rs, rs.getScopeSpans(0), span);
        ((SeriesBufferStore) store).flushCache();
    }
}
