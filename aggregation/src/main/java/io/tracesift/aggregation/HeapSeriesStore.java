package io.tracesift.aggregation;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Series on the heap, in their byte forms: for tools and tests that aggregate without Kafka (the bench's measure of
 * the metrics code alone, the true counts of the metrics integration test). Not thread-safe.
 */
public final class HeapSeriesStore implements SeriesStore, SeriesSource {
    private final Map<ByteBuffer, byte[]> values = new HashMap<>();

    @Override
    public byte[] get(byte[] key) {
        return values.get(ByteBuffer.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        values.put(ByteBuffer.wrap(key.clone()), value);
    }

    @Override
    public void forEachKey(Consumer<byte[]> action) {
        values.keySet().forEach(k -> action.accept(k.array()));
    }

    @Override
    public void forEachSeries(Visitor visitor) {
        values.forEach((k, v) -> visitor.visit(SeriesKey.fromBytes(k.array()), SeriesValue.fromBytes(v)));
    }
}
