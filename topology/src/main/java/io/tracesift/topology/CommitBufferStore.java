package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outermost layer of a small-valued store that is rewritten often (the trace index, the decisions, the
 * deadlines): it holds the writes made since the last commit in a hash map, and passes them to the store below
 * (RocksDB, and its changelog if logged) in one batch when Kafka Streams flushes before a commit. A trace's index
 * entry, rewritten by each of its span groups, reaches the changelog once per commit, as with Kafka Streams' record
 * cache, without that cache's sorted map, whose lookups compared long shared key prefixes over a tree of every
 * recently used entry.
 *
 * <p>Exactly once holds as for {@link SeriesBufferStore}: the pending writes reach the changelog before the commit
 * that carries their input offsets, and {@link #init} and {@link #close} drop them when a task dies. Writing them
 * early is as safe (it is what a record cache does when full): before a scan, and beyond {@code maxPending} keys.
 * Interactive queries (other threads) read pending writes by key, and scans see what has been passed down.
 */
final class CommitBufferStore extends KeyValueStoreLayer {
    /** Marks a pending delete (the map holds no nulls); compared by identity. */
    private static final byte[] DELETED = new byte[0];

    private final int maxPending;
    private final Map<Bytes, byte[]> pending = new ConcurrentHashMap<>();
    /** The thread that writes (the task's stream thread): only it passes pending writes down before a scan. */
    private volatile Thread writer;

    private CommitBufferStore(KeyValueStore<Bytes, byte[]> inner, int maxPending) {
        super(inner);
        this.maxPending = maxPending;
    }

    /** Wraps what {@code inner} builds, which should have no record cache: this layer replaces it. */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner,
                                                              int maxPending) {
        return builder(inner.withCachingDisabled(), store -> new CommitBufferStore(store, maxPending));
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        super.init(context, root);
    }

    @Override
    public void close() {
        pending.clear();
        super.close();
    }

    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    @Override
    public void flush() {
        writePending();
        super.flush();
    }

    @Override
    public byte[] get(Bytes key) {
        byte[] value = pending.get(key);
        if (value == null) {
            return wrapped().get(key);
        }
        return value == DELETED ? null : value;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        Thread current = Thread.currentThread();
        if (writer != current) {
            writer = current;
        }
        pending.put(key, value == null ? DELETED : value);
        if (pending.size() > maxPending) {
            writePending();
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] previous = get(key);
        if (previous == null) {
            put(key, value);
        }
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] previous = get(key);
        put(key, null);
        return previous;
    }

    /** Only the writing thread passes its pending writes down: a query thread's scan must not write. */
    @Override
    void beforeScan() {
        if (Thread.currentThread() == writer) {
            writePending();
        }
    }

    /** Passes every pending write down in one batch (RocksDB writes a batch in one call). */
    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(pending.size());
        pending.forEach((key, value) -> batch.add(KeyValue.pair(key, value == DELETED ? null : value)));
        wrapped().putAll(batch);
        pending.clear();
    }
}
