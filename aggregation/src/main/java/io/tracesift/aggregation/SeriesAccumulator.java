package io.tracesift.aggregation;

import java.util.List;

/**
 * Adds increments into one {@link SeriesStore}, enforcing the cardinality limit and counting overflows in
 * {@code tracesift_metrics_overflow_total}. One instance per store (per stream task); not thread-safe.
 */
public final class SeriesAccumulator {
    private final SeriesStore store;
    private final CardinalityLimiter limiter;

    /** Rebuilds the limiter's counts from what the store already holds (after a restart or rebalance). */
    public SeriesAccumulator(SeriesStore store, int cardinalityLimit) {
        this.store = store;
        this.limiter = new CardinalityLimiter(cardinalityLimit);
        store.forEachSeries((key, value) -> limiter.restore(key));
    }

    public void add(List<SeriesUpdate> updates) {
        for (SeriesUpdate update : updates) {
            add(update.key(), update.increment());
        }
    }

    /** Series of this tenant and family the limiter has admitted (for tests and health metrics). */
    public int seriesCount(String tenant, String family) {
        return limiter.seriesCount(tenant, family);
    }

    private void add(SeriesKey key, SeriesValue increment) {
        SeriesValue current = store.get(key);
        SeriesKey target = limiter.admit(key, current != null);
        if (target != key) {
            current = store.get(target);
            SeriesKey overflows = SeriesKey.of(key.tenant(), MetricFamilies.OVERFLOW.name(), "metric", key.family());
            SeriesValue counted = store.get(overflows);
            store.put(overflows, counted == null ? CounterValue.ONE : counted.merge(CounterValue.ONE));
        }
        store.put(target, current == null ? increment : current.merge(increment));
    }
}
