package io.tracesift.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineQueueTest {
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void store() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TracesiftTopology.DEADLINE_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void decideDeadlinesAreHeldAndMovedWithoutAStoreWriteWhileExpiriesGoToTheStore() {
        DeadlineQueue queue = new DeadlineQueue(store, 10);
        queue.add(decide(3_600_000, 1));
        queue.remove(decide(3_600_000, 1)); // the root arrived: the max-age deadline moves earlier
        queue.add(decide(2_000, 1));
        queue.add(forget(7_200_000, 2));

        assertThat(stored()).containsExactly("7200000 FORGET 2");
        assertThat(names(queue.takeDue(0, 2_001, 100))).containsExactly("2000 DECIDE 1");
        assertThat(queue.takeDue(0, 2_001, 100)).isEmpty();
        assertThat(stored()).containsExactly("7200000 FORGET 2");
    }

    @Test
    void beyondTheLimitTheLatestDueDeadlineGoesToTheStoreAndBothSourcesAreTakenInDueOrder() {
        DeadlineQueue queue = new DeadlineQueue(store, 2);
        queue.add(decide(3_000, 3));
        queue.add(decide(1_000, 1));
        queue.add(decide(4_000, 4));
        queue.add(decide(2_000, 2));

        assertThat(stored()).containsExactly("3000 DECIDE 3", "4000 DECIDE 4");
        assertThat(names(queue.takeDue(0, 5_000, 3))).containsExactly("1000 DECIDE 1", "2000 DECIDE 2", "3000 DECIDE 3");
        assertThat(stored()).containsExactly("4000 DECIDE 4");
        assertThat(queue.takeDue(0, 4_000, 10)).isEmpty(); // due at 4,000: not before it
        assertThat(names(queue.takeDue(0, 4_001, 10))).containsExactly("4000 DECIDE 4");
        assertThat(stored()).isEmpty();
    }

    @Test
    void aWallClockThatSteppedBackBelowTheLastTakenDeadlineTakesNothing() {
        DeadlineQueue queue = new DeadlineQueue(store, 10);
        queue.add(decide(1_000, 1));

        assertThat(queue.takeDue(5_000, 4_001, 10)).isEmpty();
        assertThat(names(queue.takeDue(0, 4_001, 10))).containsExactly("1000 DECIDE 1");
    }

    @Test
    void aDeadlineNotHeldIsRemovedFromTheStore() {
        DeadlineQueue queue = new DeadlineQueue(store, 1);
        queue.add(decide(1_000, 1));
        queue.add(decide(5_000, 5));
        queue.remove(decide(5_000, 5));

        assertThat(stored()).isEmpty();
        assertThat(names(queue.takeDue(0, 10_000, 10))).containsExactly("1000 DECIDE 1");
    }

    @Test
    void withNoneHeldEveryDeadlineIsInTheStore() {
        DeadlineQueue queue = new DeadlineQueue(store, 0);
        queue.add(decide(2_000, 2));
        queue.add(decide(1_000, 1));

        assertThat(stored()).containsExactly("1000 DECIDE 1", "2000 DECIDE 2");
        assertThat(names(queue.takeDue(1_500, 3_000, 10))).containsExactly("2000 DECIDE 2");
        assertThat(stored()).containsExactly("1000 DECIDE 1");
    }

    @Test
    void clearDropsHeldAndStoredDeadlines() {
        DeadlineQueue queue = new DeadlineQueue(store, 1);
        queue.add(decide(1_000, 1));
        queue.add(decide(2_000, 2));
        queue.add(forget(3_000, 3));

        queue.clear();

        assertThat(stored()).isEmpty();
        assertThat(queue.takeDue(0, Long.MAX_VALUE, 10)).isEmpty();
    }

    private static DeadlineKey decide(long dueMs, int trace) {
        return new DeadlineKey(dueMs, DeadlineKey.Kind.DECIDE, new byte[] {(byte) trace});
    }

    private static DeadlineKey forget(long dueMs, int trace) {
        return new DeadlineKey(dueMs, DeadlineKey.Kind.FORGET, new byte[] {(byte) trace});
    }

    private static List<String> names(List<DeadlineKey> keys) {
        return keys.stream().map(DeadlineQueueTest::name).toList();
    }

    private static String name(DeadlineKey key) {
        return key.dueMs() + " " + key.kind() + " " + key.traceKey()[0];
    }

    private List<String> stored() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(name(DeadlineKey.decode(kv.key.get()))));
        }
        return keys;
    }
}
