package io.tracesift.aggregation;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/** A store holding encoded keys and values in byte order, as the topology's key-value stores do. */
final class InMemorySeriesStore implements SeriesStore {
    final Map<ByteBuffer, byte[]> bytes = new TreeMap<>();

    @Override
    public SeriesValue get(SeriesKey key) {
        byte[] value = bytes.get(ByteBuffer.wrap(key.toBytes()));
        return value == null ? null : SeriesValue.fromBytes(value);
    }

    @Override
    public void put(SeriesKey key, SeriesValue value) {
        bytes.put(ByteBuffer.wrap(key.toBytes()), value.toBytes());
    }

    @Override
    public void forEachSeries(Visitor visitor) {
        bytes.forEach((k, v) -> visitor.visit(SeriesKey.fromBytes(k.array()), SeriesValue.fromBytes(v)));
    }

    /** The stored value of a counter, 0 when absent. */
    long counter(SeriesKey key) {
        SeriesValue v = get(key);
        return v == null ? 0 : ((CounterValue) v).value();
    }
}
