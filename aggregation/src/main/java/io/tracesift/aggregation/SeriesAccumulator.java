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
 *
 * <p>Callers keep a {@link Series} handle per series and add to it directly (no key lookup, no value object per
 * increment).
 */
public final class SeriesAccumulator {
    /**
     * A series takes at most one exemplar per this much wall-clock time (a scrape every 15 s shows one anyway). Wall
     * clock, not span time, so that catching up on a backlog does not ask for exemplars faster.
     */
    static final long EXEMPLAR_REFRESH_MILLIS = 15_000;
    /** Observations per series and refresh interval that may be asked for an exemplar (most traces are not kept). */
    static final int EXEMPLAR_ATTEMPTS = 64;

    private final SeriesStore store;
    private final CardinalityLimiter limiter;
    /** Every series this accumulator has read or written, and keys routed to an overflow series since the last flush. */
    private final Map<SeriesKey, Series> touched = new HashMap<>();
    /** The series to write at the next flush (touched keys admitted by the limiter, overflow series and counters). */
    private final List<Cell> dirty = new ArrayList<>();
    /** Keys over the limit touched since the last flush: forgotten at the flush, as there may be any number of them. */
    private final List<SeriesKey> redirected = new ArrayList<>();
    /** Counts the discards: handles from before the last one are stale. */
    private int generation;

    /** One stored series: its value as stored, and the increments since the last flush. */
    private final class Cell {
        final byte[] keyBytes;
        SeriesValue stored;
        boolean dirty;
        long count;
        HistogramValue.Sum histogram;
        /** The exemplar interval that started at {@code intervalStart} (wall clock): attempts left, exemplar taken. */
        long intervalStart = Long.MIN_VALUE;
        int attemptsLeft;
        boolean exemplarTaken;

        Cell(byte[] keyBytes, byte[] stored) {
            this.keyBytes = keyBytes;
            this.stored = stored == null ? null : SeriesValue.fromBytes(stored);
        }

        void count(long n) {
            markDirty();
            count = Math.addExact(count, n);
        }

        void observe(double[] bounds, double value, Exemplar exemplar) {
            histogram().observe(bounds, value, exemplar);
            exemplarTaken |= exemplar != null;
        }

        private HistogramValue.Sum histogram() {
            markDirty();
            if (histogram == null) {
                histogram = new HistogramValue.Sum();
            }
            return histogram;
        }

        private void markDirty() {
            if (!dirty) {
                dirty = true;
                SeriesAccumulator.this.dirty.add(this);
            }
        }

        boolean wantsExemplar(long nowMillis) {
            if (intervalStart == Long.MIN_VALUE || nowMillis - intervalStart >= EXEMPLAR_REFRESH_MILLIS
                    || nowMillis < intervalStart) {
                intervalStart = nowMillis;
                attemptsLeft = EXEMPLAR_ATTEMPTS;
                exemplarTaken = false;
            }
            if (exemplarTaken || attemptsLeft == 0) {
                return false;
            }
            attemptsLeft--;
            return true;
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

    /**
     * One series to add to repeatedly: a handle valid until the next {@link #discard} (the accumulator's whole
     * life, in the topology). A key over the cardinality limit gets a handle on its family's overflow series, which
     * also counts one overflow per update.
     */
    public final class Series {
        private final Cell cell;
        /** The overflow counter of a key over the limit, else null. */
        private final Cell overflows;
        private final int generation;

        private Series(Cell cell, Cell overflows) {
            this.cell = cell;
            this.overflows = overflows;
            this.generation = SeriesAccumulator.this.generation;
        }

        /** Adds {@code n} to a counter. */
        public void count(long n) {
            overflowed();
            cell.count(n);
        }

        /**
         * Adds one observation to a histogram.
         *
         * @param bounds   the family's configured bounds (not copied: never modify them)
         * @param exemplar null for none
         */
        public void observe(double[] bounds, double value, Exemplar exemplar) {
            overflowed();
            cell.observe(bounds, value, exemplar);
        }

        /**
         * Whether to offer the next observation an exemplar: when the series took none in the current interval of
         * {@link #EXEMPLAR_REFRESH_MILLIS} (wall clock) and was asked fewer than {@link #EXEMPLAR_ATTEMPTS} times in it
         * (an attempt may find the trace not kept). Lets callers skip the costly check of whether a trace is kept for
         * nearly every span. Each call that returns true uses up one attempt.
         *
         * @param nowMillis the wall-clock time, epoch millis
         */
        public boolean wantsExemplar(long nowMillis) {
            return cell.wantsExemplar(nowMillis);
        }

        private void overflowed() {
            if (generation != SeriesAccumulator.this.generation) {
                throw new IllegalStateException("series handle used after the accumulator discarded its state");
            }
            if (overflows != null) {
                overflows.count(1);
            }
        }
    }

    /** Rebuilds the limiter's counts from the keys the store already holds (after a restart or rebalance). */
    public SeriesAccumulator(SeriesStore store, int cardinalityLimit) {
        this.store = store;
        this.limiter = new CardinalityLimiter(cardinalityLimit);
        store.forEachKey(key -> limiter.restore(SeriesKey.fromBytes(key)));
    }

    /** The handle of a series, reading it from the store (and admitting it under the limit) at its first touch. */
    public Series series(SeriesKey key) {
        Series s = touched.get(key);
        return s != null ? s : firstTouch(key);
    }

    /** Writes every series touched since the last flush into the store, once each. */
    public void flush() {
        for (Cell c : dirty) {
            store.put(c.keyBytes, c.merge());
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
        generation++;
    }

    /** Changes at every {@link #discard}: handles taken before are stale. */
    int generation() {
        return generation;
    }

    /** Series of this tenant and family the limiter has admitted (for tests and health metrics). */
    public int seriesCount(String tenant, String family) {
        return limiter.seriesCount(tenant, family);
    }

    private Series firstTouch(SeriesKey key) {
        byte[] keyBytes = key.toBytes();
        byte[] stored = store.get(keyBytes);
        SeriesKey target = limiter.admit(key, stored != null);
        Series s;
        if (target != key) {
            Cell overflows = unlimited(SeriesKey.of(key.tenant(), MetricFamilies.OVERFLOW.name(), "metric", key.family())).cell;
            s = new Series(unlimited(target).cell, overflows);
            redirected.add(key);
        } else {
            s = new Series(new Cell(keyBytes, stored), null);
        }
        touched.put(key, s);
        return s;
    }

    /** The handle of a series the limiter never limits (overflow series and their counters). */
    private Series unlimited(SeriesKey key) {
        Series s = touched.get(key);
        if (s == null) {
            byte[] keyBytes = key.toBytes();
            s = new Series(new Cell(keyBytes, store.get(keyBytes)), null);
            touched.put(key, s);
        }
        return s;
    }
}
