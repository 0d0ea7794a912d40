package io.tracesift.aggregation;

import java.util.Objects;

/** One increment for one series: a count, or a histogram holding one observation. */
public record SeriesUpdate(SeriesKey key, SeriesValue increment) {
    public SeriesUpdate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(increment, "increment");
    }
}
