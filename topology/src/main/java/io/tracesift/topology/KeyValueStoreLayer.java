package io.tracesift.topology;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A layer of tracesift's own on the outside of a store Kafka Streams builds (metered, maybe logged, RocksDB): the
 * layer is what the state manager registers, so it takes part in every flush before a commit. Every operation
 * passes through unless a subclass says otherwise.
 */
abstract class KeyValueStoreLayer extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {

    KeyValueStoreLayer(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** The layer of type {@code type} behind what a processor context returns for a store (possibly a decorator). */
    static <T extends KeyValueStoreLayer> T of(StateStore store, Class<T> type) {
        StateStore s = store;
        while (!type.isInstance(s) && s instanceof WrappedStateStore<?, ?, ?> wrapper) {
            s = wrapper.wrapped();
        }
        if (type.isInstance(s)) {
            return type.cast(s);
        }
        throw new IllegalStateException("store " + store.name() + " has no " + type.getSimpleName() + " layer");
    }

    /** A builder of {@code layer} around what {@code inner} builds; settings (caching, logging) go to {@code inner}. */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner,
                                                              UnaryOperator<KeyValueStore<Bytes, byte[]>> layer) {
        return new Builder(inner, layer);
    }

    /** Called before every range, full or prefix scan passes to the store below; nothing by default. */
    void beforeScan() {
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
        beforeScan();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        beforeScan();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        beforeScan();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        beforeScan();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        beforeScan();
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
        private final UnaryOperator<KeyValueStore<Bytes, byte[]>> layer;

        Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner, UnaryOperator<KeyValueStore<Bytes, byte[]>> layer) {
            this.inner = inner;
            this.layer = layer;
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
            return layer.apply(inner.build());
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
