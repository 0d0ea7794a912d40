package io.tracesift.aggregation;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A store holding encoded keys and values in byte order, as the topology's key-value stores do. */
final class InMemorySeriesStore implements SeriesStore, SeriesSource {
    final Map<ByteBuffer, byte[]> bytes = new TreeMap<>();

    @Override
    public byte[] get(byte[] key) {
        return bytes.get(ByteBuffer.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        bytes.put(ByteBuffer.wrap(key.clone()), value.clone());
    }

    @Override
    public void forEachKey(Consumer<byte[]> action) {
        bytes.keySet().forEach(k -> action.accept(k.array().clone()));
    }

    @Override
    public void forEachSeries(Visitor visitor) {
        bytes.forEach((k, v) -> visitor.visit(SeriesKey.fromBytes(k.array()), SeriesValue.fromBytes(v)));
    }

    /** Stores a value directly, bypassing any accumulator. */
    void put(SeriesKey key, SeriesValue value) {
        put(key.toBytes(), value.toBytes());
    }

    SeriesValue get(SeriesKey key) {
        byte[] value = get(key.toBytes());
        return value == null ? null : SeriesValue.fromBytes(value);
    }

    /** Every stored series, in key byte order. */
    Map<SeriesKey, SeriesValue> series() {
        Map<SeriesKey, SeriesValue> out = new java.util.LinkedHashMap<>();
        forEachSeries(out::put);
        return out;
    }

    /** The stored value of a counter, 0 when absent. */
    long counter(SeriesKey key) {
        SeriesValue v = get(key);
        return v == null ? 0 : ((CounterValue) v).value();
    }
}
