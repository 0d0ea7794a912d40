package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The span store's young window: what stays in memory, what reaches the store below, and what reads see. */
class YoungSpanWindowTest {
    private static final byte[] TRACE_A = TraceKey.encode(new TenantId("acme"), Otlp.traceId(1, 7).toByteArray());
    private static final byte[] TRACE_B = TraceKey.encode(new TenantId("acme"), Otlp.traceId(2, 7).toByteArray());
    private static final byte[] TRACE_C = TraceKey.encode(new TenantId("acme"), Otlp.traceId(3, 7).toByteArray());
    private static final byte[] OTHER_TENANT = TraceKey.encode(new TenantId("globex"), Otlp.traceId(1, 7).toByteArray());
    /** What the window counts for each 100-byte value below (the value and its per-entry overhead). */
    private static final int ENTRY_BYTES = 164;

    private final PipelineCounters counters = new PipelineCounters();
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>(
            TracesiftTopology.streamsProperties("window-test", "localhost:9092", null, Map.of()));

    @Test
    void aTraceReadAndDeletedWithinTheWindowNeverReachesTheStoreBelow() {
        YoungSpanWindow window = window(1 << 20);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.put(spanKey(TRACE_B, 0), value(2));
        window.put(spanKey(TRACE_A, 1), value(3));

        List<KeyValue<Bytes, byte[]>> read = entries(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)));
        assertThat(read).extracting(kv -> kv.key).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1));
        assertThat(read).extracting(kv -> kv.value[0]).containsExactly((byte) 1, (byte) 3);
        assertThat(window.get(spanKey(TRACE_B, 0))[0]).isEqualTo((byte) 2);
        read.forEach(kv -> window.delete(kv.key));

        assertThat(entries(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).isEmpty();
        assertThat(entries(window.all())).extracting(kv -> kv.key).containsExactly(spanKey(TRACE_B, 0));
        assertThat(below(window).approximateNumEntries()).isZero();
    }

    @Test
    void pastItsBudgetTheWindowWritesItsOldestTraceBelowAndReadsJoinBothInKeyOrder() {
        YoungSpanWindow window = window(2 * ENTRY_BYTES + 10);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.put(spanKey(TRACE_B, 0), value(2));
        assertThat(below(window).approximateNumEntries()).isZero();

        window.put(spanKey(TRACE_C, 0), value(3)); // over budget: A entered first
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_A, 0));

        window.put(spanKey(TRACE_A, 1), value(4)); // A enters again, after C: B is now the oldest
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_B, 0));

        List<KeyValue<Bytes, byte[]>> a = entries(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)));
        assertThat(a).extracting(kv -> kv.value[0]).containsExactly((byte) 1, (byte) 4);
        assertThat(window.get(spanKey(TRACE_B, 0))[0]).isEqualTo((byte) 2);

        a.forEach(kv -> window.delete(kv.key));
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_B, 0));
        assertThat(keys(window.all())).containsExactly(spanKey(TRACE_B, 0), spanKey(TRACE_C, 0));
    }

    @Test
    void theWindowsOfOneSupplierShareItsBudgetEvenlyAmongThoseThatWrite() {
        KeyValueBytesStoreSupplier supplier = YoungSpanWindow.supplier(Stores.inMemoryKeyValueStore("spans"),
                4 * ENTRY_BYTES + 10, counters);
        YoungSpanWindow first = (YoungSpanWindow) supplier.get();
        YoungSpanWindow second = (YoungSpanWindow) supplier.get();
        first.init(context.getStateStoreContext(), first);
        second.init(context.getStateStoreContext(), second); // a task that has not written yet takes no share
        for (int i = 0; i < 4; i++) {
            first.put(spanKey(TRACE_A, i), value(i)); // alone, the first holds the whole budget
        }
        assertThat(below(first).approximateNumEntries()).isZero();

        second.put(spanKey(TRACE_C, 0), value(9));
        first.put(spanKey(TRACE_B, 0), value(5)); // now its share is half: its oldest trace goes below
        assertThat(keys(below(first).all())).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1),
                spanKey(TRACE_A, 2), spanKey(TRACE_A, 3));
        assertThat(keys(first.all())).contains(spanKey(TRACE_B, 0));
        assertThat(counters.youngWindowWrittenBelow()).containsExactlyInAnyOrderEntriesOf(
                Map.of("budget", 4L * ENTRY_BYTES, "long-trace", 0L, "checkpoint", 0L));
        assertThat(counters.youngWindowBytes()).isEqualTo(2 * ENTRY_BYTES);

        second.close(); // its task moved away: the first has the whole budget again
        for (int i = 1; i < 4; i++) {
            first.put(spanKey(TRACE_B, i), value(i));
        }
        assertThat(below(first).approximateNumEntries()).isEqualTo(4);
        assertThat(counters.youngWindowBytes()).isEqualTo(4 * ENTRY_BYTES); // the closed window's entry left with it
    }

    @Test
    void aTraceWrittenAtManyCommitsGoesBelowSoNoPutCopiesMoreThanABoundedTrace() {
        YoungSpanWindow window = window(1 << 30);
        int puts = YoungSpanWindow.MAX_ENTRIES_PER_TRACE + 3;
        for (int seq = 0; seq < puts; seq++) {
            window.put(spanKey(TRACE_A, seq), value(seq));
        }
        window.put(spanKey(TRACE_B, 0), value(1));

        // The first MAX_ENTRIES_PER_TRACE went below together; the trace entered the window again after them.
        assertThat(below(window).approximateNumEntries()).isEqualTo(YoungSpanWindow.MAX_ENTRIES_PER_TRACE);
        assertThat(counters.youngWindowWrittenBelow()).containsEntry("long-trace",
                (long) YoungSpanWindow.MAX_ENTRIES_PER_TRACE * ENTRY_BYTES).containsEntry("budget", 0L);
        assertThat(keys(window.all())).hasSize(puts + 1);
        List<KeyValue<Bytes, byte[]>> a = entries(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, puts)));
        assertThat(a).extracting(kv -> (int) kv.value[0]).containsExactlyElementsOf(
                IntStream.range(0, puts).boxed().toList());

        a.forEach(kv -> window.delete(kv.key));
        assertThat(below(window).approximateNumEntries()).isZero();
        assertThat(keys(window.all())).containsExactly(spanKey(TRACE_B, 0));
    }

    @Test
    void aCommitOrAFlushWritesTheWholeWindowBelowSoACheckpointCoversEveryLoggedWrite() {
        YoungSpanWindow window = window(1 << 20);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.put(spanKey(TRACE_B, 0), value(2));
        window.commit(Map.of());
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_B, 0));

        window.put(spanKey(TRACE_C, 0), value(3));
        window.flush();
        assertThat(keys(below(window).all())).hasSize(3);
        assertThat(window.approximateNumEntries()).isEqualTo(3);
        assertThat(counters.youngWindowWrittenBelow()).containsExactlyInAnyOrderEntriesOf(
                Map.of("budget", 0L, "long-trace", 0L, "checkpoint", 3L * ENTRY_BYTES));
        assertThat(counters.youngWindowBytes()).isZero();
    }

    @Test
    void everyScanJoinsTheWindowAndTheStoreBelowInItsOrder() {
        YoungSpanWindow window = window(2 * ENTRY_BYTES + 10);
        List<Bytes> ascending = List.of(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1), spanKey(TRACE_B, 0),
                spanKey(TRACE_C, 0), spanKey(OTHER_TENANT, 0));
        for (Bytes key : List.of(ascending.get(3), ascending.get(0), ascending.get(4), ascending.get(2), ascending.get(1))) {
            window.put(key, value(0));
        }
        assertThat(below(window).approximateNumEntries()).isEqualTo(3); // two are still in the window

        List<Bytes> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        assertThat(keys(window.all())).containsExactlyElementsOf(ascending);
        assertThat(keys(window.reverseAll())).containsExactlyElementsOf(descending);
        assertThat(keys(window.range(ascending.get(1), ascending.get(3)))).containsExactlyElementsOf(ascending.subList(1, 4));
        assertThat(keys(window.reverseRange(ascending.get(1), ascending.get(3))))
                .containsExactlyElementsOf(descending.subList(1, 4));
        byte[] acme = Arrays.copyOf(TRACE_A, 1 + "acme".length());
        assertThat(keys(window.prefixScan(Bytes.wrap(acme), new BytesSerializer())))
                .containsExactlyElementsOf(ascending.subList(0, 4));
        assertThat(window.approximateNumEntries()).isEqualTo(5);
    }

    @Test
    void theWriterReadsBelowOnlyTracesThatHaveKeysThereCountedFromWhatTheStoreHeldAtItsFirstPut() {
        RangeCounting below = new RangeCounting(Stores.inMemoryKeyValueStore("spans").get());
        YoungSpanWindow window = (YoungSpanWindow) YoungSpanWindow.supplier(supplierOf(below), 2 * ENTRY_BYTES + 10,
                counters).get();
        window.init(context.getStateStoreContext(), window);
        below.put(spanKey(TRACE_C, 0), value(9)); // restored from the changelog before processing starts

        window.put(spanKey(TRACE_A, 0), value(1));
        assertThat(entries(window.range(spanKey(TRACE_C, 0), spanKey(TRACE_C, 9)))).extracting(kv -> kv.value[0])
                .containsExactly((byte) 9);
        assertThat(below.ranges).isEqualTo(1);
        assertThat(keys(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).containsExactly(spanKey(TRACE_A, 0));
        assertThat(below.ranges).isEqualTo(1);

        window.put(spanKey(TRACE_B, 0), value(2));
        window.put(spanKey(TRACE_B, 1), value(3)); // over budget: A goes below
        assertThat(keys(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).containsExactly(spanKey(TRACE_A, 0));
        assertThat(below.ranges).isEqualTo(2);

        window.delete(spanKey(TRACE_C, 0));
        window.delete(spanKey(TRACE_A, 0));
        assertThat(keys(window.range(spanKey(TRACE_C, 0), spanKey(TRACE_C, 9)))).isEmpty();
        assertThat(keys(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).isEmpty();
        assertThat(below.ranges).isEqualTo(2);
        assertThat(below.approximateNumEntries()).isZero();
    }

    /** The store below, counting its range reads. */
    private static final class RangeCounting extends KeyValueStoreLayer {
        int ranges;

        RangeCounting(KeyValueStore<Bytes, byte[]> inner) {
            super(inner);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            ranges++;
            return super.range(from, to);
        }
    }

    private static KeyValueBytesStoreSupplier supplierOf(KeyValueStore<Bytes, byte[]> store) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return store.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return store;
            }

            @Override
            public String metricsScope() {
                return "test";
            }
        };
    }

    @Test
    void interactiveQueriesReadTheWindowAndTheStoreBelowThroughTheirReadOnlyView() {
        YoungSpanWindow window = window(2 * ENTRY_BYTES + 10);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.put(spanKey(TRACE_B, 0), value(2));
        window.put(spanKey(TRACE_C, 0), value(3)); // over budget: A goes below
        window.put(spanKey(TRACE_A, 1), value(4)); // A enters again: B goes below
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_B, 0));

        ReadOnlyKeyValueStore<Bytes, byte[]> view = window.readOnly(IsolationLevel.READ_COMMITTED);
        assertThat(entries(view.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).extracting(kv -> kv.value[0])
                .containsExactly((byte) 1, (byte) 4);
        assertThat(view.get(spanKey(TRACE_C, 0))[0]).isEqualTo((byte) 3);
        assertThat(keys(view.all())).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1), spanKey(TRACE_B, 0),
                spanKey(TRACE_C, 0));
        assertThat(view.approximateNumEntries()).isEqualTo(4);
    }

    @Test
    void afterACheckpointTheWriterCountsAgainWhatTheStoreBelowHoldsForAStandbyMayHaveRestoredIntoIt() {
        RangeCounting below = new RangeCounting(Stores.inMemoryKeyValueStore("spans").get());
        YoungSpanWindow window = (YoungSpanWindow) YoungSpanWindow.supplier(supplierOf(below), 1 << 20, counters).get();
        window.init(context.getStateStoreContext(), window);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.commit(Map.of()); // the task is suspended, then serves as a standby: its restore writes below directly
        below.put(spanKey(TRACE_C, 0), value(9));

        window.put(spanKey(TRACE_B, 0), value(2)); // active again, without a new init
        assertThat(entries(window.range(spanKey(TRACE_C, 0), spanKey(TRACE_C, 9)))).extracting(kv -> kv.value[0])
                .containsExactly((byte) 9);
        assertThat(keys(window.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))).containsExactly(spanKey(TRACE_A, 0));
    }

    @Test
    void underAtLeastOnceWhichCheckpointsAtEveryCommitWritesGoStraightBelow() {
        YoungSpanWindow window = (YoungSpanWindow) YoungSpanWindow.supplier(Stores.inMemoryKeyValueStore("spans"),
                1 << 20, counters).get();
        window.init(new MockProcessorContext<>().getStateStoreContext(), window);
        window.put(spanKey(TRACE_A, 0), value(1));
        assertThat(keys(below(window).all())).containsExactly(spanKey(TRACE_A, 0));
        window.delete(spanKey(TRACE_A, 0));
        assertThat(below(window).approximateNumEntries()).isZero();
    }

    @Test
    void aTaskStartingOrClosingForgetsTheWindowWhichItsChangelogStillHolds() {
        YoungSpanWindow window = window(1 << 20);
        window.put(spanKey(TRACE_A, 0), value(1));
        window.close();
        window.init(context.getStateStoreContext(), window);

        assertThat(window.get(spanKey(TRACE_A, 0))).isNull();
        assertThat(below(window).approximateNumEntries()).isZero();
    }

    @Test
    void aBudgetOfZeroSuppliesTheStoreBelowAsItIs() {
        KeyValueBytesStoreSupplier rocksDb = Stores.persistentKeyValueStore("spans");
        assertThat(YoungSpanWindow.supplier(rocksDb, 0, counters)).isSameAs(rocksDb);
        assertThat(YoungSpanWindow.supplier(rocksDb, 1, counters).get()).isInstanceOf(YoungSpanWindow.class);
    }

    private YoungSpanWindow window(long budgetBytes) {
        YoungSpanWindow window = (YoungSpanWindow) YoungSpanWindow.supplier(Stores.inMemoryKeyValueStore("spans"),
                budgetBytes, counters).get();
        window.init(context.getStateStoreContext(), window);
        return window;
    }

    private static KeyValueStore<Bytes, byte[]> below(YoungSpanWindow window) {
        return window.wrapped();
    }

    private static byte[] value(int first) {
        byte[] value = new byte[100];
        value[0] = (byte) first;
        return value;
    }

    private static Bytes spanKey(byte[] traceKey, int seq) {
        return Bytes.wrap(TraceKey.spanKey(traceKey, seq));
    }

    private static List<KeyValue<Bytes, byte[]>> entries(KeyValueIterator<Bytes, byte[]> it) {
        List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static List<Bytes> keys(KeyValueIterator<Bytes, byte[]> it) {
        return entries(it).stream().map(kv -> kv.key).toList();
    }
}
