package io.tracesift.aggregation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums increments in memory and writes them into one {@link SeriesStore} on {@link #flush}, enforcing the
 * cardinality limit and counting overflows in {@code tracesift_metrics_overflow_total} (one per overflowing
 * update, i.e. per span and family). Between two flushes each touched series costs one store read (at its first
 * touch, which also tells the limiter whether it is stored) and one write (at the flush), however many spans it
 * counted. Call {@link #flush} before the store's contents must be complete (in the topology: before every
 * commit); {@link #discard} drops what was added since. One instance per store (per stream task); not
 * thread-safe.
 */
public final class SeriesAccumulator {
    private final SeriesStore store;
    private final CardinalityLimiter limiter;
    /** Every series touched since the last flush, including keys routed to an overflow series. */
    private final Map<SeriesKey, Pending> touched = new HashMap<>();
    /** The series to write at the next flush (touched keys admitted by the limiter, overflow series and counters). */
    private final List<Pending> dirty = new ArrayList<>();

    /** One series between two flushes: what the store held at its first touch, and the increments since. */
    private static final class Pending {
        final byte[] keyBytes;
        final byte[] stored;
        /** Set on a key over the limit: its increments go to {@code redirect}, and each counts one overflow. */
        Pending redirect;
        Pending overflows;
        long count;
        HistogramValue.Sum histogram;

        Pending(byte[] keyBytes, byte[] stored) {
            this.keyBytes = keyBytes;
            this.stored = stored;
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

        /** The stored value plus the increments (a series' increments are all of its family's one type). */
        byte[] merged() {
            SeriesValue increment = histogram != null ? histogram.value() : CounterValue.of(count);
            return stored == null ? increment.toBytes() : SeriesValue.fromBytes(stored).merge(increment).toBytes();
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
            p.overflows.add(CounterValue.ONE);
            p = p.redirect;
        }
        p.add(increment);
    }

    /** Writes every series touched since the last flush into the store, once each, and forgets them. */
    public void flush() {
        for (Pending p : dirty) {
            store.put(p.keyBytes, p.merged());
        }
        discard();
    }

    /** Forgets the increments added since the last flush (the store's state is being thrown away with them). */
    public void discard() {
        touched.clear();
        dirty.clear();
    }

    /** Series of this tenant and family the limiter has admitted (for tests and health metrics). */
    public int seriesCount(String tenant, String family) {
        return limiter.seriesCount(tenant, family);
    }

    private Pending firstTouch(SeriesKey key) {
        byte[] keyBytes = key.toBytes();
        byte[] stored = store.get(keyBytes);
        SeriesKey target = limiter.admit(key, stored != null);
        Pending p = new Pending(keyBytes, stored);
        if (target == key) {
            dirty.add(p);
        } else {
            p.redirect = series(target);
            p.overflows = series(SeriesKey.of(key.tenant(), MetricFamilies.OVERFLOW.name(), "metric", key.family()));
        }
        touched.put(key, p);
        return p;
    }

    /** The pending state of a series the limiter never limits (overflow series and their counters). */
    private Pending series(SeriesKey key) {
        Pending p = touched.get(key);
        if (p == null) {
            byte[] keyBytes = key.toBytes();
            p = new Pending(keyBytes, store.get(keyBytes));
            dirty.add(p);
            touched.put(key, p);
        }
        return p;
    }
}
