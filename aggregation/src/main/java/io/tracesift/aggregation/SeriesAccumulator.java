package io.tracesift.aggregation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds increments into one {@link SeriesStore}, enforcing the cardinality limit and counting overflows in
 * {@code tracesift_metrics_overflow_total} (one per overflowing update, i.e. per span and family). One
 * instance per store (per stream task); not thread-safe.
 */
public final class SeriesAccumulator {
    private final SeriesStore store;
    private final CardinalityLimiter limiter;

    /** Equal-key increments of one {@link #add} call, summed, and how many there were. */
    private static final class Pending {
        SeriesValue value;
        long updates;

        Pending(SeriesValue value) {
            this.value = value;
        }
    }

    /** Rebuilds the limiter's counts from the keys the store already holds (after a restart or rebalance). */
    public SeriesAccumulator(SeriesStore store, int cardinalityLimit) {
        this.store = store;
        this.limiter = new CardinalityLimiter(cardinalityLimit);
        store.forEachKey(key -> limiter.restore(SeriesKey.fromBytes(key)));
    }

    /**
     * Adds the increments. Pass all increments of one input record (all its spans) in one call: equal keys are
     * summed in memory first, so the store sees one read and one write per distinct series, not per span.
     */
    public void add(List<SeriesUpdate> updates) {
        Map<SeriesKey, Pending> summed = new LinkedHashMap<>();
        for (SeriesUpdate update : updates) {
            Pending p = summed.get(update.key());
            if (p == null) {
                summed.put(update.key(), p = new Pending(update.increment()));
            } else {
                p.value = p.value.merge(update.increment());
            }
            p.updates++;
        }
        summed.forEach(this::add);
    }

    /** Series of this tenant and family the limiter has admitted (for tests and health metrics). */
    public int seriesCount(String tenant, String family) {
        return limiter.seriesCount(tenant, family);
    }

    private void add(SeriesKey key, Pending pending) {
        byte[] keyBytes = key.toBytes();
        byte[] current = store.get(keyBytes);
        SeriesKey target = limiter.admit(key, current != null);
        if (target != key) {
            keyBytes = target.toBytes();
            current = store.get(keyBytes);
            byte[] overflows = SeriesKey.of(key.tenant(), MetricFamilies.OVERFLOW.name(), "metric", key.family()).toBytes();
            mergeInto(overflows, store.get(overflows), CounterValue.of(pending.updates));
        }
        mergeInto(keyBytes, current, pending.value);
    }

    private void mergeInto(byte[] keyBytes, byte[] current, SeriesValue increment) {
        store.put(keyBytes, current == null ? increment.toBytes() : SeriesValue.fromBytes(current).merge(increment).toBytes());
    }
}
