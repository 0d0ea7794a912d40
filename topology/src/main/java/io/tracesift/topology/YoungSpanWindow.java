package io.tracesift.topology;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The span store's young window: below the changelog and above RocksDB, the span groups of recently seen traces are
 * held in memory, up to the task's share of the instance's byte budget, and only the oldest traces beyond it are
 * written to RocksDB. Most traces are decided seconds after they start (send-delay after their root), so their groups
 * are read and deleted here and never reach RocksDB: no write, no read of a flushed file, no tombstone, no flush or
 * compaction. In the benchmark RocksDB's native code (its reads of flushed spans, its writes and its flushes) was
 * about a third of the stream threads' time and a tenth of the machine, which the Java profiles the earlier sessions
 * used do not show. Long-running traces move to RocksDB as younger ones fill the window, so the heap stays bounded
 * whatever the number or age of open traces.
 *
 * <p>Durability is unchanged: every write has already been sent to the changelog by the layer above when it gets here.
 * Before Kafka Streams writes a checkpoint (it calls {@link #commit} or {@link #flush} first: under exactly-once only
 * when a task is suspended or closed cleanly) the window is written to RocksDB, so the checkpointed store holds every
 * write logged before it. A task that dies loses the window with the rest of its local state, and under exactly-once
 * restores the whole store from the changelog. Under at-least-once Kafka Streams checkpoints at every commit, which
 * would empty the window each time: there the window is off and writes go straight to RocksDB.
 *
 * <p>Keys are span keys (a trace key and a 4-byte sequence number), grouped here by trace, and each key is written
 * once between deletes, as the span store's are: a key is in the window or in RocksDB, never both, so a delete of a
 * key in the window does not reach RocksDB. Reads merge both, the window's entry winning. The stream thread writes;
 * interactive queries may read from other threads, through the concurrent map of immutable per-trace entries.
 */
final class YoungSpanWindow extends WriteByPutLayer {
    private static final int SEQ_BYTES = Integer.BYTES;
    /** What the window counts per entry besides the value: its key and the arrays holding both. */
    private static final int ENTRY_OVERHEAD_BYTES = 64;
    /**
     * A trace's entries are copied into new arrays at each put (readers on other threads see whole traces), so a trace
     * written at this many commits goes to RocksDB: a long-running one, which would otherwise make each put cost its
     * size. Most traces have a handful.
     */
    static final int MAX_ENTRIES_PER_TRACE = 64;

    private final Pool pool;
    /** The writer's reads (the stream thread's); interactive queries get theirs from {@link #readOnly}. */
    private final Reads reads;
    /** By trace key. Replaced entries, never changed ones, so a reader on another thread sees a whole trace. */
    private final Map<Bytes, Trace> traces = new ConcurrentHashMap<>();
    /** Traces in the order they entered the window, oldest first; the writer's only. */
    private final ArrayDeque<Entered> order = new ArrayDeque<>();
    private long bytes;
    private long entered;
    /** The thread that writes (the task's stream thread), known from its first put. */
    private volatile Thread writer;
    /**
     * How many keys RocksDB holds of the traces in each of {@link #SLOTS} slots (by the trace key's hash): the writer's
     * only, null until its first put counts what the store held then (restored from the changelog, or left by the last
     * run). A range read of a trace whose slot counts none skips RocksDB: most traces never reach it, and RocksDB's seek
     * to a key it does not hold steps over every deleted key after it until it finds a live one, which made each such
     * read cost more the more traces had passed through. Slots, not a map by trace, so the heap does not grow with the
     * traces in RocksDB; a trace sharing a slot with one there is read from RocksDB as before the window.
     */
    private int[] keysBelow;
    private static final int SLOTS = 1 << 16;
    /**
     * Whether this task runs under exactly-once. Otherwise Kafka Streams checkpoints at every commit, which would empty
     * the window and recount RocksDB each time: writes then go straight through.
     */
    private boolean exactlyOnce;

    private YoungSpanWindow(KeyValueStore<Bytes, byte[]> rocksDb, Pool pool) {
        super(rocksDb);
        this.pool = pool;
        this.reads = new Reads(rocksDb);
    }

    /**
     * Wraps what {@code rocksDb} supplies in windows that share {@code budgetBytes} (see {@link Pool}) and count what
     * they hold and move to RocksDB in {@code counters}: one supplier serves one instance's tasks. 0 supplies
     * {@code rocksDb}'s stores as they are.
     */
    static KeyValueBytesStoreSupplier supplier(KeyValueBytesStoreSupplier rocksDb, long budgetBytes,
                                               PipelineCounters counters) {
        if (budgetBytes <= 0) {
            return rocksDb;
        }
        Pool pool = new Pool(budgetBytes, counters);
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocksDb.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new YoungSpanWindow(rocksDb.get(), pool);
            }

            @Override
            public String metricsScope() {
                return rocksDb.metricsScope();
            }
        };
    }

    /**
     * The budget of one instance's windows, shared evenly by those that hold writes (one per task assembling its
     * partitions; standbys restore below the window and do not count). An operator sizes the heap of an instance, not
     * of a task, and the number of tasks an instance runs changes with every rebalance: a fixed budget per task held
     * too little when an instance had few (in the benchmark's burst most traces went to RocksDB and were read back
     * from there; with a quarter of the heap shared, the CPU per span until every trace was decided fell by a third)
     * and more than its heap when it had many. A window over its share after another joins writes its oldest traces
     * below at its next put.
     */
    static final class Pool {
        private final long budgetBytes;
        private final PipelineCounters counters;
        private final AtomicInteger writers = new AtomicInteger();

        Pool(long budgetBytes, PipelineCounters counters) {
            this.budgetBytes = budgetBytes;
            this.counters = counters;
        }

        long share() {
            return budgetBytes / Math.max(1, writers.get());
        }
    }

    /** A trace's place in {@link #order}: its key, and when it entered, to tell it from a later entry of the trace. */
    private record Entered(Bytes traceKey, long stamp) {
    }

    /** One trace's entries in the window, in key order. */
    private static final class Trace {
        final Bytes traceKey;
        /** When the trace entered the window ({@link Entered#stamp()}). */
        final long entered;
        final Bytes[] keys;
        final byte[][] values;
        final long bytes;

        Trace(Bytes traceKey, long entered, Bytes[] keys, byte[][] values) {
            this.traceKey = traceKey;
            this.entered = entered;
            this.keys = keys;
            this.values = values;
            long sum = 0;
            for (byte[] value : values) {
                sum += value.length + ENTRY_OVERHEAD_BYTES;
            }
            this.bytes = sum;
        }

        int indexOf(Bytes key) {
            return Arrays.binarySearch(keys, key);
        }

        byte[] get(Bytes key) {
            int i = indexOf(key);
            return i >= 0 ? values[i] : null;
        }

        /** These entries with {@code key} set to {@code value} (a sequence number past the last is the usual case). */
        Trace with(Bytes key, byte[] value) {
            int i = indexOf(key);
            if (i >= 0) {
                byte[][] v = values.clone();
                v[i] = value;
                return new Trace(traceKey, entered, keys, v);
            }
            int at = -i - 1;
            Bytes[] k = new Bytes[keys.length + 1];
            byte[][] v = new byte[values.length + 1][];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(values, 0, v, 0, at);
            k[at] = key;
            v[at] = value;
            System.arraycopy(keys, at, k, at + 1, keys.length - at);
            System.arraycopy(values, at, v, at + 1, values.length - at);
            return new Trace(traceKey, entered, k, v);
        }

        /** These entries without the one at {@code i}; null when none is left. */
        Trace without(int i) {
            if (keys.length == 1) {
                return null;
            }
            Bytes[] k = new Bytes[keys.length - 1];
            byte[][] v = new byte[values.length - 1][];
            System.arraycopy(keys, 0, k, 0, i);
            System.arraycopy(values, 0, v, 0, i);
            System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
            System.arraycopy(values, i + 1, v, i, values.length - i - 1);
            return new Trace(traceKey, entered, k, v);
        }

        void addEntries(List<KeyValue<Bytes, byte[]>> to, Bytes from, Bytes until) {
            for (int i = 0; i < keys.length; i++) {
                boolean fromOn = from == null || keys[i].compareTo(from) >= 0;
                if (fromOn && (until == null || keys[i].compareTo(until) <= 0)) {
                    to.add(KeyValue.pair(keys[i], values[i]));
                }
            }
        }
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        super.init(context, root);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        if (!exactlyOnce) {
            wrapped().put(key, value);
            return;
        }
        if (keysBelow == null) {
            if (writer == null) {
                pool.writers.incrementAndGet(); // the first put since the task started: the window takes a share
            }
            writer = Thread.currentThread();
            keysBelow = countBelow();
        }
        Bytes traceKey = traceOf(key.get());
        Trace trace = traces.get(traceKey);
        if (value == null) {
            int i = trace == null ? -1 : trace.indexOf(key);
            if (i < 0) {
                if (wrapped().delete(key) != null) {
                    keysBelow[slot(traceKey)]--;
                }
                return;
            }
            replace(trace, trace.without(i));
            return;
        }
        if (trace == null) {
            Trace entering = new Trace(traceKey, ++entered, new Bytes[] {key}, new byte[][] {value});
            if (order.size() > 2 * traces.size() + 64) {
                order.removeIf(this::left); // most traces leave decided, not written: keep the order from growing
            }
            order.add(new Entered(traceKey, entering.entered));
            replace(null, entering);
        } else {
            Trace updated = trace.with(key, value);
            replace(trace, updated);
            if (updated.keys.length >= MAX_ENTRIES_PER_TRACE) {
                writeBelow(updated, PipelineCounters.WrittenBelow.LONG_TRACE); // its entry in the order now stands for a trace that left
            }
        }
        long share = pool.share();
        while (bytes > share && !order.isEmpty()) {
            writeOldest(PipelineCounters.WrittenBelow.BUDGET);
        }
    }

    private void replace(Trace old, Trace updated) {
        if (updated == null) {
            traces.remove(old.traceKey);
        } else {
            traces.put(updated.traceKey, updated);
        }
        long delta = (updated == null ? 0 : updated.bytes) - (old == null ? 0 : old.bytes);
        bytes += delta;
        pool.counters.youngWindowHeld(delta);
    }

    /** Whether the trace that {@code entry} stands for in {@link #order} has left (a later entry of it may not). */
    private boolean left(Entered entry) {
        Trace current = traces.get(entry.traceKey());
        return current == null || current.entered != entry.stamp();
    }

    /** Moves the trace that entered the window first to RocksDB. */
    private void writeOldest(PipelineCounters.WrittenBelow reason) {
        Entered oldest = order.poll();
        if (left(oldest)) {
            return; // decided, or written; a later entry of the same trace is further back in the order
        }
        writeBelow(traces.get(oldest.traceKey()), reason);
    }

    /** Moves a trace's entries to RocksDB: written before they leave the window, so readers never miss them. */
    private void writeBelow(Trace trace, PipelineCounters.WrittenBelow reason) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(trace.keys.length);
        trace.addEntries(entries, null, null);
        wrapped().putAll(entries);
        if (keysBelow != null) {
            keysBelow[slot(trace.traceKey)] += entries.size();
        }
        pool.counters.youngWindowWrittenBelow(reason, trace.bytes);
        replace(trace, null);
    }

    /** Writes the whole window to RocksDB and empties it. */
    private void writeAll() {
        while (!order.isEmpty()) {
            writeOldest(PipelineCounters.WrittenBelow.CHECKPOINT);
        }
    }

    private int[] countBelow() {
        int[] counts = new int[SLOTS];
        try (KeyValueIterator<Bytes, byte[]> it = wrapped().all()) {
            while (it.hasNext()) {
                counts[slot(traceOf(it.next().key.get()))]++;
            }
        }
        return counts;
    }

    private static int slot(Bytes traceKey) {
        int h = traceKey.hashCode();
        return (h ^ h >>> 16) & (SLOTS - 1);
    }

    private void forget() {
        if (writer != null) {
            pool.writers.decrementAndGet();
        }
        keysBelow = null;
        writer = null;
        traces.clear();
        order.clear();
        pool.counters.youngWindowHeld(-bytes);
        bytes = 0;
    }

    @Override
    public byte[] get(Bytes key) {
        return reads.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return reads.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return reads.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return reads.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return reads.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return reads.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return reads.approximateNumEntries();
    }

    /** Interactive queries read through here: the window joined with RocksDB's view for {@code isolationLevel}. */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        return new Reads(wrapped().readOnly(isolationLevel));
    }

    /** Reads that join the window with what {@code rocksDb} shows of RocksDB. */
    private final class Reads implements ReadOnlyKeyValueStore<Bytes, byte[]> {
        private final ReadOnlyKeyValueStore<Bytes, byte[]> rocksDb;

        Reads(ReadOnlyKeyValueStore<Bytes, byte[]> rocksDb) {
            this.rocksDb = rocksDb;
        }

        @Override
        public byte[] get(Bytes key) {
            Trace trace = traces.get(traceOf(key.get()));
            byte[] value = trace == null ? null : trace.get(key);
            return value != null ? value : rocksDb.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            int[] below = keysBelow;
            if (Thread.currentThread() == writer && below != null && sameTrace(from.get(), to.get())
                    && below[slot(traceOf(from.get()))] == 0) {
                return merged(young(from, to), new NothingWritten(), false);
            }
            return merged(young(from, to), rocksDb.range(from, to), false);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return merged(young(from, to), rocksDb.reverseRange(from, to), true);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return merged(young(null, null), rocksDb.all(), false);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            return merged(young(null, null), rocksDb.reverseAll(), true);
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix,
                                                                                     PS prefixKeySerializer) {
            byte[] p = prefixKeySerializer.serialize(null, prefix);
            List<KeyValue<Bytes, byte[]>> young = young(null, null);
            young.removeIf(e -> !startsWith(e.key.get(), p));
            return merged(young, rocksDb.prefixScan(prefix, prefixKeySerializer), false);
        }

        @Override
        public long approximateNumEntries() {
            long young = 0;
            for (Trace trace : traces.values()) {
                young += trace.keys.length;
            }
            long written = rocksDb.approximateNumEntries();
            return written > Long.MAX_VALUE - young ? Long.MAX_VALUE : written + young;
        }
    }

    /**
     * The window's entries from {@code from} to {@code to} (both included, null for no bound), in key order. A range
     * within one trace, the assembler's read, looks at that trace only.
     */
    private List<KeyValue<Bytes, byte[]>> young(Bytes from, Bytes to) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        if (from != null && to != null && sameTrace(from.get(), to.get())) {
            Trace trace = traces.get(traceOf(from.get()));
            if (trace != null) {
                trace.addEntries(entries, from, to);
            }
            return entries;
        }
        for (Trace trace : traces.values()) {
            trace.addEntries(entries, from, to);
        }
        entries.sort(Comparator.comparing(e -> e.key));
        return entries;
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        beforeCheckpoint();
        super.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        beforeCheckpoint();
        super.commit(changelogOffsets);
    }

    /**
     * Writes the window to RocksDB, and forgets the counts of what RocksDB holds: a task checkpoints when it is
     * suspended, and may then serve as a standby, whose restore writes to RocksDB directly, and become active again
     * without a new {@link #init}. The next put counts afresh.
     */
    private void beforeCheckpoint() {
        writeAll();
        keysBelow = null;
    }

    @Override
    public void close() {
        forget();
        super.close();
    }

    private static Bytes traceOf(byte[] spanKey) {
        return Bytes.wrap(Arrays.copyOf(spanKey, Math.max(0, spanKey.length - SEQ_BYTES)));
    }

    private static boolean sameTrace(byte[] a, byte[] b) {
        int n = a.length - SEQ_BYTES;
        return n > 0 && a.length == b.length && Arrays.equals(a, 0, n, b, 0, n);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static KeyValueIterator<Bytes, byte[]> merged(List<KeyValue<Bytes, byte[]>> young,
                                                          KeyValueIterator<Bytes, byte[]> written, boolean reverse) {
        if (young.isEmpty()) {
            return written;
        }
        if (reverse) {
            young = new ArrayList<>(young);
            Collections.reverse(young);
        }
        return new Merged(young, written, reverse);
    }

    /** The window's entries and RocksDB's, in one key order; a key in both is the window's. */
    private static final class Merged implements KeyValueIterator<Bytes, byte[]> {
        private final List<KeyValue<Bytes, byte[]>> young;
        private final KeyValueIterator<Bytes, byte[]> written;
        private final int direction;
        private int next;

        Merged(List<KeyValue<Bytes, byte[]>> young, KeyValueIterator<Bytes, byte[]> written, boolean reverse) {
            this.young = young;
            this.written = written;
            this.direction = reverse ? -1 : 1;
        }

        /** Negative when the window's next entry comes first, 0 for the same key, positive when RocksDB's does. */
        private int order() {
            if (next == young.size()) {
                return 1;
            }
            if (!written.hasNext()) {
                return -1;
            }
            return direction * young.get(next).key.compareTo(written.peekNextKey());
        }

        @Override
        public boolean hasNext() {
            return next < young.size() || written.hasNext();
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int order = order();
            if (order > 0) {
                return written.next();
            }
            if (order == 0) {
                written.next();
            }
            return young.get(next++);
        }

        @Override
        public Bytes peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return order() > 0 ? written.peekNextKey() : young.get(next).key;
        }

        @Override
        public void close() {
            written.close();
        }
    }

    /** What RocksDB holds of a trace that never reached it. */
    private static final class NothingWritten implements KeyValueIterator<Bytes, byte[]> {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            throw new NoSuchElementException();
        }

        @Override
        public Bytes peekNextKey() {
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
        }
    }
}
