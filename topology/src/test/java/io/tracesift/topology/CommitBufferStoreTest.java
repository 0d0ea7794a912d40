package io.tracesift.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The write buffer of the index, deadline and decision stores: what it holds, when it writes, what it drops. */
class CommitBufferStoreTest {
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

    @Test
    void writesReachTheStoreBelowOnlyAtTheFlushBeforeACommitAndReadsSeeThemBefore() {
        CommitBufferStore store = store(100);
        store.put(key("a"), value("1"));
        store.put(key("a"), value("2"));
        store.put(key("b"), value("1"));
        store.delete(key("b"));

        assertThat(text(store.get(key("a")))).isEqualTo("2");
        assertThat(store.get(key("b"))).isNull();
        assertThat(store.wrapped().approximateNumEntries()).isZero();

        store.flushCache();
        assertThat(text(store.wrapped().get(key("a")))).isEqualTo("2");
        assertThat(store.wrapped().get(key("b"))).isNull();

        store.delete(key("a"));
        assertThat(store.get(key("a"))).isNull();
        assertThat(text(store.wrapped().get(key("a")))).isEqualTo("2");
        store.flush();
        assertThat(store.wrapped().get(key("a"))).isNull();
    }

    @Test
    void aTaskStartedAgainDropsTheWritesOfItsUncommittedWork() {
        CommitBufferStore store = store(100);
        store.put(key("a"), value("committed"));
        store.flushCache();
        store.put(key("a"), value("uncommitted"));
        store.put(key("b"), value("uncommitted"));

        store.init(context.getStateStoreContext(), store);
        store.flushCache();

        assertThat(text(store.get(key("a")))).isEqualTo("committed");
        assertThat(store.get(key("b"))).isNull();
    }

    @Test
    void beyondItsLimitItWritesEarlySoTheHeapStaysBounded() {
        CommitBufferStore store = store(3);
        for (int i = 0; i < 3; i++) {
            store.put(key("k" + i), value("v"));
        }
        assertThat(store.wrapped().approximateNumEntries()).isZero();
        store.put(key("k3"), value("v"));
        assertThat(store.wrapped().approximateNumEntries()).isEqualTo(4);
    }

    @Test
    void theWritersScansSeeItsPendingWritesAndOtherThreadsScansWriteNothing() throws InterruptedException {
        CommitBufferStore store = store(100);
        store.put(key("a"), value("1"));

        AtomicReference<List<String>> seenByQuery = new AtomicReference<>();
        Thread query = new Thread(() -> seenByQuery.set(keys(store.all())));
        query.start();
        query.join();
        assertThat(seenByQuery.get()).isEmpty();
        assertThat(text(store.get(key("a")))).isEqualTo("1");

        store.put(key("b"), value("1"));
        assertThat(keys(store.range(key("a"), key("z")))).containsExactly("a", "b");
        assertThat(store.wrapped().approximateNumEntries()).isEqualTo(2);
    }

    private CommitBufferStore store(int maxPending) {
        KeyValueStore<Bytes, byte[]> store = CommitBufferStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("buffered"), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                maxPending).build();
        store.init(context.getStateStoreContext(), store);
        return (CommitBufferStore) store;
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(text(kv.key.get())));
        }
        return keys;
    }

    private static Bytes key(String s) {
        return Bytes.wrap(value(s));
    }

    private static byte[] value(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
