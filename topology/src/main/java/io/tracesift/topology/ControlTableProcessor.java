package io.tracesift.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Keeps a compacted control topic ({@code tracesift-flags}, {@code tracesift-tenants}) as a global store and
 * applies each record to the {@link TenantDirectory} as it arrives (within one poll of the global thread, so a
 * change takes effect in well under a second, no restart). Only records the rules accept are stored: a record that
 * does not parse is ignored with a warning (by the rules) and changes neither the live state nor the store.
 */
final class ControlTableProcessor implements Processor<String, byte[], Void, Void> {
    private final String storeName;
    private final BiFunction<String, byte[], Optional<String>> apply;
    private final Runnable beforeReload;
    private KeyValueStore<String, byte[]> store;

    /**
     * @param apply        applies one record, returning why it was ignored if it was
     * @param beforeReload forgets the live state before the store's content is applied again
     */
    ControlTableProcessor(String storeName, BiFunction<String, byte[], Optional<String>> apply, Runnable beforeReload) {
        this.storeName = storeName;
        this.apply = apply;
        this.beforeReload = beforeReload;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // A store restored from a local checkpoint is not replayed through process(): apply what it holds.
        beforeReload.run();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> apply.apply(entry.key, entry.value));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (apply.apply(record.key(), record.value()).isPresent()) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
