package io.tracesift.topology;

import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.SeriesAccumulator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The outermost layer of a metrics store (around the usual metered, changelogged RocksDB store): it owns the
 * task's {@link SeriesAccumulator}, which sums metric increments in memory, and writes them into the store when
 * Kafka Streams flushes the store's cache before a commit (it does so for every store layered like this one,
 * whether or not a record cache sits below).
 *
 * <p>Why the counts stay exact under exactly_once_v2: {@code StreamTask.prepareCommit} flushes every registered
 * store's cache ({@code ProcessorStateManager.flushCache}, which reaches {@link #flushCache()} because this
 * layer is the store registered with the state manager) and then the record collector, and only afterwards
 * does the thread commit the transaction holding the changelog records and the input offsets. So every increment
 * of a processed record reaches the changelog in the same transaction as that record's offset. If the task
 * dies or is closed dirty before that, the transaction is aborted, the store is wiped or restored from the
 * changelog, and {@link #init} and {@link #close} drop the in-memory increments with it; the records are then
 * processed again. Reads of the store (interactive queries behind {@code /metrics}) see the last commit, at
 * most one commit interval old.
 */
final class SeriesBufferStore extends KeyValueStoreLayer {
    private SeriesAccumulator accumulator;

    private SeriesBufferStore(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** Wraps what {@code inner} builds (its caching and logging are kept: this layer adds only the buffer). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
        return builder(inner, SeriesBufferStore::new);
    }

    /** The buffer store behind what a processor context returns for its name (possibly a decorator around it). */
    static SeriesBufferStore of(StateStore store) {
        return of(store, SeriesBufferStore.class);
    }

    /** A fresh accumulator over this store, for a processor initialising; it replaces the previous one. */
    SeriesAccumulator attach(MetricsAggregator aggregator) {
        accumulator = aggregator.accumulator(MetricsStores.seriesStore(wrapped()));
        return accumulator;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        drop();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        if (accumulator != null) {
            accumulator.flush();
        }
        super.flushCache();
    }

    @Override
    public void close() {
        drop();
        super.close();
    }

    private void drop() {
        if (accumulator != null) {
            accumulator.discard();
            accumulator = null;
        }
    }
}
