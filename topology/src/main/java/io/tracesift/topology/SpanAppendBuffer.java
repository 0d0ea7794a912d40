package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The outermost layer of the span store: the span groups one trace receives between two commits are held in memory
 * and written as one value, under the first group's key, when Kafka Streams flushes before the commit. A trace's
 * spans mostly arrive as several records close together (one per service and export), and each stored value costs a
 * RocksDB write, a changelog record, an iterator step and a delete with its tombstone when the trace is decided:
 * combined, those are paid once per trace and commit instead of once per record.
 *
 * <p>A combined value is one {@link SpanGroup} holding the groups' spans in arrival order (a concatenation of
 * protobuf messages is their merge), so readers cannot tell it from a single group. The keys the later groups were
 * put under hold nothing; the assembler reads a trace by key range and deletes the keys it read.
 *
 * <p>Exactly once holds as for every {@link PendingWritesLayer}; beyond {@code maxPendingBytes} the groups are
 * written early. Only the writing thread (the task's stream thread) sees pending groups: its range reads of one
 * trace add them, its other scans write them first; interactive queries (other threads) see what has been written.
 */
final class SpanAppendBuffer extends PendingWritesLayer {
    private static final int SEQ_BYTES = Integer.BYTES;
    /**
     * Groups are combined up to this many bytes: a combined value is one changelog record, which must stay well under
     * the producer's and the broker's maximum request size (1 MB by default), and large values make RocksDB's
     * memtables and compactions copy more. A single larger group is stored as it came.
     */
    static final int MAX_COMBINED_BYTES = 128 * 1024;

    private final long maxPendingBytes;
    /** By trace key (a span key without its sequence number). Touched by the writing thread only. */
    private Map<Bytes, Pending> pending = new HashMap<>();
    private long pendingBytes;

    /** A trace's groups since the last write, put under consecutive sequence numbers starting at {@code firstKey}'s. */
    private static final class Pending {
        final Bytes firstKey;
        final List<byte[]> groups = new ArrayList<>(4);
        int lastSeq;
        long bytes;

        Pending(Bytes firstKey, int seq, byte[] group) {
            this.firstKey = firstKey;
            this.lastSeq = seq;
            groups.add(group);
            bytes = group.length;
        }

        /** Whether {@code group}, put under {@code seq}, can join these groups. */
        boolean takes(int seq, byte[] group) {
            return seq == lastSeq + 1 && bytes + group.length <= MAX_COMBINED_BYTES;
        }

        void add(int seq, byte[] group) {
            groups.add(group);
            lastSeq = seq;
            bytes += group.length;
        }

        byte[] combined() {
            return SpanGroup.concat(groups);
        }
    }

    private SpanAppendBuffer(KeyValueStore<Bytes, byte[]> inner, long maxPendingBytes) {
        super(inner);
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Wraps what {@code inner} builds (the span store, without a record cache). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner,
                                                              long maxPendingBytes) {
        return builder(inner.withCachingDisabled(), store -> new SpanAppendBuffer(store, maxPendingBytes));
    }

    @Override
    public void put(Bytes key, byte[] value) {
        noteWriter();
        byte[] k = key.get();
        Bytes trace = traceOf(k);
        Pending p = pending.get(trace);
        if (value == null) {
            if (p != null && p.firstKey.equals(key)) {
                pending.remove(trace);
                pendingBytes -= p.bytes;
            }
            wrapped().put(key, null);
            return;
        }
        int seq = seq(k);
        if (p != null && p.takes(seq, value)) {
            p.add(seq, value);
        } else {
            if (p != null) {
                pendingBytes -= p.bytes;
                wrapped().put(p.firstKey, p.combined());
            }
            pending.put(trace, new Pending(key, seq, value));
        }
        pendingBytes += value.length;
        if (pendingBytes > maxPendingBytes) {
            writePending();
        }
    }

    @Override
    public byte[] get(Bytes key) {
        if (isWriter()) {
            Pending p = pending.get(traceOf(key.get()));
            if (p != null && p.firstKey.equals(key)) {
                return p.combined();
            }
        }
        return wrapped().get(key);
    }

    /**
     * The writer's range read of one trace (from and to differ only in their sequence numbers) adds the trace's
     * pending groups after what is written, whose keys all come before theirs; any other scan by the writer writes
     * the pending groups first.
     */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        if (!isWriter() || !sameTrace(from.get(), to.get())) {
            return super.range(from, to);
        }
        Pending p = pending.get(traceOf(from.get()));
        KeyValueIterator<Bytes, byte[]> written = wrapped().range(from, to);
        if (p == null || p.firstKey.compareTo(from) < 0 || p.firstKey.compareTo(to) > 0) {
            return written;
        }
        return new WrittenThenPending(written, KeyValue.pair(p.firstKey, p.combined()));
    }

    @Override
    void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(pending.size());
        pending.values().forEach(p -> batch.add(KeyValue.pair(p.firstKey, p.combined())));
        dropPending();
        wrapped().putAll(batch);
    }

    /** A new map rather than a cleared one, whose table (walked whole by each write) would keep its largest size. */
    @Override
    void dropPending() {
        pending = new HashMap<>();
        pendingBytes = 0;
    }

    /** The trace key a span key starts with. */
    private static Bytes traceOf(byte[] spanKey) {
        return Bytes.wrap(Arrays.copyOf(spanKey, spanKey.length - SEQ_BYTES));
    }

    private static int seq(byte[] spanKey) {
        int at = spanKey.length - SEQ_BYTES;
        return (spanKey[at] & 0xff) << 24 | (spanKey[at + 1] & 0xff) << 16 | (spanKey[at + 2] & 0xff) << 8
                | (spanKey[at + 3] & 0xff);
    }

    private static boolean sameTrace(byte[] a, byte[] b) {
        int n = a.length - SEQ_BYTES;
        return n > 0 && a.length == b.length && Arrays.equals(a, 0, n, b, 0, n);
    }

    /** The written entries of a range, then one pending entry whose key follows them all. */
    private static final class WrittenThenPending implements KeyValueIterator<Bytes, byte[]> {
        private final KeyValueIterator<Bytes, byte[]> written;
        private KeyValue<Bytes, byte[]> last;

        WrittenThenPending(KeyValueIterator<Bytes, byte[]> written, KeyValue<Bytes, byte[]> last) {
            this.written = written;
            this.last = last;
        }

        @Override
        public boolean hasNext() {
            return written.hasNext() || last != null;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            if (written.hasNext()) {
                return written.next();
            }
            if (last == null) {
                throw new NoSuchElementException();
            }
            KeyValue<Bytes, byte[]> kv = last;
            last = null;
            return kv;
        }

        @Override
        public Bytes peekNextKey() {
            if (written.hasNext()) {
                return written.peekNextKey();
            }
            if (last == null) {
                throw new NoSuchElementException();
            }
            return last.key;
        }

        @Override
        public void close() {
            written.close();
        }
    }
}
