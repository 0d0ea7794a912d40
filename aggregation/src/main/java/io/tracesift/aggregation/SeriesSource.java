package io.tracesift.aggregation;

/**
 * Where exposition reads accumulated series from. The topology implements it over its local state stores;
 * the same key may be visited several times (once per partition's store) and the visits are summed.
 */
public interface SeriesSource {

    @FunctionalInterface
    interface Visitor {
        void visit(SeriesKey key, SeriesValue value);
    }

    /** Visits every series. */
    void forEachSeries(Visitor visitor);

    /**
     * Visits the series of one tenant only. The default filters {@link #forEachSeries(Visitor)}; a byte-ordered
     * store can instead range-scan the keys starting with {@link SeriesKey#tenantPrefix(String)}.
     */
    default void forEachSeries(String tenant, Visitor visitor) {
        forEachSeries((key, value) -> {
            if (key.tenant().equals(tenant)) {
                visitor.visit(key, value);
            }
        });
    }
}
