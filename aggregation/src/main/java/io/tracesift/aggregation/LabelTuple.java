package io.tracesift.aggregation;

import java.util.Arrays;

/**
 * Label values as a hash-map key for a cache of series handles. A lookup refills one probe instance (no
 * allocation per span); only a miss stores a {@link #copy}. Not thread-safe.
 */
final class LabelTuple {
    private final String[] values;
    private int hash;

    LabelTuple(int size) {
        values = new String[size];
    }

    private LabelTuple(String[] values, int hash) {
        this.values = values;
        this.hash = hash;
    }

    LabelTuple set(int i, String value) {
        values[i] = value;
        return this;
    }

    String get(int i) {
        return values[i];
    }

    int size() {
        return values.length;
    }

    /** Call after the last {@link #set} of a lookup. */
    LabelTuple rehash() {
        hash = Arrays.hashCode(values);
        return this;
    }

    LabelTuple copy() {
        return new LabelTuple(values.clone(), hash);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof LabelTuple t && hash == t.hash && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
