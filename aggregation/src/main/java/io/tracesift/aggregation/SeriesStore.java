package io.tracesift.aggregation;

import java.util.function.Consumer;

/**
 * One writable partition of accumulated series, in their byte forms ({@link SeriesKey#toBytes()},
 * {@link SeriesValue#toBytes()}): in the topology a changelogged {@code KeyValueStore<Bytes, byte[]>}.
 */
public interface SeriesStore {
    /** The stored value bytes, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    /** Calls {@code action} with every stored key (used once, when an accumulator starts). */
    void forEachKey(Consumer<byte[]> action);
}
