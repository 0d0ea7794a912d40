package io.tracesift.topology;

import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.SeriesAccumulator;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.List;
import java.util.Map;

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
final class SeriesBufferStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    private SeriesAccumulator accumulator;

    private SeriesBufferStore(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** Wraps what {@code inner} builds (its caching and logging are kept: this layer adds only the buffer). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
        return new Builder(inner);
    }

    /** The buffer store behind what a processor context returns for its name (possibly a decorator around it). */
    static SeriesBufferStore of(StateStore store) {
        StateStore s = store;
        while (!(s instanceof SeriesBufferStore) && s instanceof WrappedStateStore<?, ?, ?> wrapper) {
            s = wrapper.wrapped();
        }
        if (s instanceof SeriesBufferStore buffer) {
            return buffer;
        }
        throw new IllegalStateException("store " + store.name() + " is not built by SeriesBufferStore.builder");
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

    @Override
    public void put(Bytes key, byte[] value) {
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        return wrapped().delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        return wrapped().readOnly(isolationLevel);
    }

    private static final class Builder implements StoreBuilder<KeyValueStore<Bytes, byte[]>> {
        private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;

        Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<Bytes, byte[]> build() {
            return new SeriesBufferStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
