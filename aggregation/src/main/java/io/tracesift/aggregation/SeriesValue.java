package io.tracesift.aggregation;

/**
 * The accumulated state of one series: plain values, so a changelogged store can hold them and restarts
 * resume from exact totals. An increment is itself a value (a count of 1, a histogram of one observation)
 * merged into what the store holds.
 *
 * <p>Byte form: a tag byte (1 counter, 2 histogram) and the value's own fields, see {@link CounterValue}
 * and {@link HistogramValue}.
 */
public sealed interface SeriesValue permits CounterValue, HistogramValue {
    int TAG_COUNTER = 1;
    int TAG_HISTOGRAM = 2;

    /** The sum of both; {@code other} counts as the newer one (its exemplar wins ties). */
    SeriesValue merge(SeriesValue other);

    byte[] toBytes();

    /** @throws IllegalArgumentException when the bytes are not a value written by {@link #toBytes()} */
    static SeriesValue fromBytes(byte[] bytes) {
        CompactReader r = new CompactReader(bytes);
        int tag = r.readByte();
        SeriesValue value = switch (tag) {
            case TAG_COUNTER -> CounterValue.read(r);
            case TAG_HISTOGRAM -> HistogramValue.read(r);
            default -> throw new IllegalArgumentException("unknown series value tag " + tag);
        };
        r.expectEnd();
        return value;
    }
}
