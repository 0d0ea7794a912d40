package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds the number of series per metric family per tenant. Its only state is a count of admitted series per
 * (tenant, family), derived from the keys already stored: rebuild it after a restart or rebalance by calling
 * {@link #restore} for every stored key. Once a family is full, updates to label sets not yet stored go to the
 * family's overflow series, which keeps only the tenant and {@code otel_metric_overflow="true"} (the
 * Collector's convention). Families whose labels are bounded by design ({@link MetricFamily#limited()} false)
 * and the overflow series themselves are never limited.
 */
public final class CardinalityLimiter {
    public static final String OVERFLOW_LABEL = "otel_metric_overflow";

    private final int limitPerFamily;
    private final Map<String, Map<String, int[]>> counts = new HashMap<>();

    public CardinalityLimiter(int limitPerFamily) {
        if (limitPerFamily < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limitPerFamily);
        }
        this.limitPerFamily = limitPerFamily;
    }

    /** Registers a key that is already stored. Call once per stored key, before the first {@link #admit}. */
    public void restore(SeriesKey key) {
        if (limits(key)) {
            counter(key)[0]++;
        }
    }

    /**
     * The key to update: {@code key} itself when it is stored already ({@code stored}), not limited, or still fits;
     * otherwise the family's overflow key. Admitting a new key counts it, so the caller must then store it.
     */
    public SeriesKey admit(SeriesKey key, boolean stored) {
        if (stored || !limits(key)) {
            return key;
        }
        int[] count = counter(key);
        if (count[0] < limitPerFamily) {
            count[0]++;
            return key;
        }
        return overflowKey(key);
    }

    /** Series admitted so far for this tenant and family (the overflow series not included). */
    public int seriesCount(String tenant, String family) {
        int[] count = counts.getOrDefault(tenant, Map.of()).get(family);
        return count == null ? 0 : count[0];
    }

    public static SeriesKey overflowKey(SeriesKey key) {
        return new SeriesKey(key.tenant(), key.family(), List.of(new Label(OVERFLOW_LABEL, "true")));
    }

    public static boolean isOverflow(SeriesKey key) {
        return "true".equals(key.label(OVERFLOW_LABEL));
    }

    private static boolean limits(SeriesKey key) {
        MetricFamily family = MetricFamilies.byName(key.family());
        return (family == null || family.limited()) && !isOverflow(key);
    }

    private int[] counter(SeriesKey key) {
        return counts.computeIfAbsent(key.tenant(), t -> new HashMap<>()).computeIfAbsent(key.family(), f -> new int[1]);
    }
}
