package io.tracesift.aggregation;

/** One writable partition of accumulated series (in the topology: a changelogged key-value store). */
public interface SeriesStore extends SeriesSource {
    /** The stored value, or null. */
    SeriesValue get(SeriesKey key);

    void put(SeriesKey key, SeriesValue value);
}
