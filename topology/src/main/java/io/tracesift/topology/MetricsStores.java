package io.tracesift.topology;

import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.SeriesAccumulator;
import io.tracesift.aggregation.SeriesStore;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.function.Consumer;

/**
 * The two changelogged stores holding aggregation's series (keys and values in aggregation's byte forms), so
 * counters are exact across restarts and rebalances under exactly-once: span metrics at ingest (one store per
 * input partition), service graph at decision time (one per repartition partition). Increments are summed in
 * memory and written at each commit ({@link SeriesBufferStore}): a series touched many times between commits is
 * read, decoded, encoded and written once per commit, not per span.
 */
public final class MetricsStores {
    /** Span metrics, agent and workflow metrics of every accepted span; in the ingest tasks. */
    public static final String SPAN_METRICS_STORE = "tracesift-span-metrics";
    /** Service-graph edges of every decided trace; in the assembly tasks. */
    public static final String TRACE_METRICS_STORE = "tracesift-trace-metrics";

    private static final String[] NONE = new String[0];

    private MetricsStores() {}

    static void add(StreamsBuilder builder, TopologySettings settings) {
        if (settings.metrics().enabled()) {
            for (String name : new String[] {SPAN_METRICS_STORE, TRACE_METRICS_STORE}) {
                // No record cache: the buffer already writes each series once per commit, and a cache would only
                // copy those writes once more before forwarding them to RocksDB and the changelog at the same commit.
                builder.addStateStore(SeriesBufferStore.builder(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled()));
            }
        }
    }

    /** The store the ingest processor writes to, if metrics are on. */
    static String[] ingest(TopologySettings settings) {
        return settings.metrics().enabled() ? new String[] {SPAN_METRICS_STORE} : NONE;
    }

    /** The store the assembler writes to, if metrics are on. */
    static String[] assembly(TopologySettings settings) {
        return settings.metrics().enabled() ? new String[] {TRACE_METRICS_STORE} : NONE;
    }

    /** The accumulator a processor adds its increments to, over the task's store of this name. */
    static SeriesAccumulator accumulator(ProcessorContext<?, ?> context, String storeName, MetricsAggregator aggregator) {
        return SeriesBufferStore.of(context.getStateStore(storeName)).attach(aggregator);
    }

    /** Aggregation's byte-level store over one task's key-value store. */
    static SeriesStore seriesStore(KeyValueStore<Bytes, byte[]> kv) {
        return new SeriesStore() {
            @Override
            public byte[] get(byte[] key) {
                return kv.get(Bytes.wrap(key));
            }

            @Override
            public void put(byte[] key, byte[] value) {
                kv.put(Bytes.wrap(key), value);
            }

            @Override
            public void forEachKey(Consumer<byte[]> action) {
                try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
                    it.forEachRemaining(e -> action.accept(e.key.get()));
                }
            }
        };
    }
}
