package io.tracesift.aggregation;

/**
 * One exposed metric family.
 *
 * @param name    the exposed name; counters end in {@code _total}
 * @param limited true when the per-tenant cardinality limit applies (label values come from user data)
 */
public record MetricFamily(String name, Type type, String help, boolean limited) {
    public enum Type { COUNTER, HISTOGRAM }
}
