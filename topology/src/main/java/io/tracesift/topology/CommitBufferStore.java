package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
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
 * <p>Exactly once holds as for every {@link PendingWritesLayer}; writing early (what a record cache does when full)
 * happens beyond {@code maxPending} keys. Interactive queries (other threads) read pending writes by key, and their
 * scans see what has been passed down.
 */
final class CommitBufferStore extends PendingWritesLayer {
    /** Marks a pending delete (the map holds no nulls); compared by identity. */
    private static final byte[] DELETED = new byte[0];

    /**
     * A flush of more keys than this starts a new map: a cleared map keeps its table, and each flush walks the whole
     * table, so one large batch (the deadlines rebuilt at a task's start) would slow every flush after it.
     */
    private static final int REUSED_MAP_KEYS = 4096;

    private final int maxPending;
    private volatile Map<Bytes, byte[]> pending = new ConcurrentHashMap<>();

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
    public byte[] get(Bytes key) {
        byte[] value = pending.get(key);
        if (value == null) {
            return wrapped().get(key);
        }
        return value == DELETED ? null : value;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        noteWriter();
        pending.put(key, value == null ? DELETED : value);
        if (pending.size() > maxPending) {
            writePending();
        }
    }

    /** Passes every pending write down in one batch (RocksDB writes a batch in one call). */
    @Override
    void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(pending.size());
        pending.forEach((key, value) -> batch.add(KeyValue.pair(key, value == DELETED ? null : value)));
        wrapped().putAll(batch);
        if (batch.size() > REUSED_MAP_KEYS) {
            pending = new ConcurrentHashMap<>();
        } else {
            pending.clear();
        }
    }

    @Override
    void dropPending() {
        pending = new ConcurrentHashMap<>();
    }
}
