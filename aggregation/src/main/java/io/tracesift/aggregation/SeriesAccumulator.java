package io.tracesift.aggregation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums increments in memory and writes them into one {@link SeriesStore} on {@link #flush}, enforcing the
 * cardinality limit and counting overflows in {@code tracesift_metrics_overflow_total} (one per overflowing
 * update, i.e. per span and family). A series is read from the store once, at its first touch (which also tells
 * the limiter whether it is stored); the accumulator then keeps its value, so each flush only encodes and writes
 * the series touched since the previous one, however many spans they counted. This is exact as long as this
 * accumulator is the store's only writer. Call {@link #flush} before the store's contents must be complete (in
 * the topology: before every commit); {@link #discard} drops what was added since, and everything it knows of
 * the store (call it when the store's state is thrown away or restored). One instance per store (per stream
 * task); not thread-safe.
 */
public final class SeriesAccumulator {
    private final SeriesStore store;
    private final CardinalityLimiter limiter;
    /** Every series this accumulator has read or written, and keys routed to an overflow series since the last flush. */
    private final Map<SeriesKey, Pending> touched = new HashMap<>();
    /** The series to write at the next flush (touched keys admitted by the limiter, overflow series and counters). */
    private final List<Pending> dirty = new ArrayList<>();
    /** Keys over the limit touched since the last flush: forgotten at the flush, as there may be any number of them. */
    private final List<SeriesKey> redirected = new ArrayList<>();

    /** One series: its value as stored, and the increments since the last flush. */
    private static final class Pending {
        final byte[] keyBytes;
        SeriesValue stored;
        /** Set on a key over the limit: its increments go to {@code redirect}, and each counts one overflow. */
        Pending redirect;
        Pending overflows;
        boolean dirty;
        long count;
        HistogramValue.Sum histogram;

        Pending(byte[] keyBytes, byte[] stored) {
            this.keyBytes = keyBytes;
            this.stored = stored == null ? null : SeriesValue.fromBytes(stored);
        }

        void add(SeriesValue increment) {
            if (increment instanceof CounterValue c) {
                count = Math.addExact(count, c.value());
            } else {
                if (histogram == null) {
                    histogram = new HistogramValue.Sum();
                }
                histogram.add((HistogramValue) increment);
            }
        }

        /** Adds the increments to the stored value (a series' increments are all of its family's one type). */
        byte[] merge() {
            SeriesValue increment = histogram != null ? histogram.value() : CounterValue.of(count);
            stored = stored == null ? increment : stored.merge(increment);
            count = 0;
            histogram = null;
            dirty = false;
            return stored.toBytes();
        }
    }

    /** Rebuilds the limiter's counts from the keys the store already holds (after a restart or rebalance). */
    public SeriesAccumulator(SeriesStore store, int cardinalityLimit) {
        this.store = store;
        this.limiter = new CardinalityLimiter(cardinalityLimit);
        store.forEachKey(key -> limiter.restore(SeriesKey.fromBytes(key)));
    }

    /** Adds the increments (in memory until the next {@link #flush}). */
    public void add(List<SeriesUpdate> updates) {
        for (SeriesUpdate update : updates) {
            add(update.key(), update.increment());
        }
    }

    /** Adds one increment (in memory until the next {@link #flush}). */
    public void add(SeriesKey key, SeriesValue increment) {
        Pending p = touched.get(key);
        if (p == null) {
            p = firstTouch(key);
        }
        if (p.redirect != null) {
            markDirty(p.overflows).add(CounterValue.ONE);
            p = p.redirect;
        }
        markDirty(p).add(increment);
    }

    /** Writes every series touched since the last flush into the store, once each. */
    public void flush() {
        for (Pending p : dirty) {
            store.put(p.keyBytes, p.merge());
        }
        dirty.clear();
        redirected.forEach(touched::remove);
        redirected.clear();
    }

    /** Forgets the increments added since the last flush, and every value read from the store. */
    public void discard() {
        touched.clear();
        dirty.clear();
        redirected.clear();
    }

    /** Series of this tenant and family the limiter has admitted (for tests and health metrics). */
    public int seriesCount(String tenant, String family) {
        return limiter.seriesCount(tenant, family);
    }

    private Pending markDirty(Pending p) {
        if (!p.dirty) {
            p.dirty = true;
            dirty.add(p);
        }
        return p;
    }

    private Pending firstTouch(SeriesKey key) {
        byte[] keyBytes = key.toBytes();
        byte[] stored = store.get(keyBytes);
        SeriesKey target = limiter.admit(key, stored != null);
        Pending p = new Pending(keyBytes, stored);
        if (target != key) {
            p.redirect = series(target);
            p.overflows = series(SeriesKey.of(key.tenant(), MetricFamilies.OVERFLOW.name(), "metric", key.family()));
            redirected.add(key);
        }
        touched.put(key, p);
        return p;
    }

    /** The state of a series the limiter never limits (overflow series and their counters). */
    private Pending series(SeriesKey key) {
        Pending p = touched.get(key);
        if (p == null) {
            byte[] keyBytes = key.toBytes();
            p = new Pending(keyBytes, store.get(keyBytes));
            touched.put(key, p);
        }
        return p;
    }
}
