package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;

/** A layer whose every write is a {@link #put}: a layer that holds writes needs to see each of them there. */
abstract class WriteByPutLayer extends KeyValueStoreLayer {
    WriteByPutLayer(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    @Override
    public abstract void put(Bytes key, byte[] value);

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] previous = get(key);
        if (previous == null) {
            put(key, value);
        }
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] previous = get(key);
        put(key, null);
        return previous;
    }
}
