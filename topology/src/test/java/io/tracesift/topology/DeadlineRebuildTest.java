package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline store has no changelog: each task start clears it and rebuilds it from the restored trace index and
 * decisions (a deadline left from before, such as one written after the last commit of a process that crashed,
 * must not survive).
 */
class DeadlineRebuildTest {
    private static final long TTL_MS = 2 * 60 * 60 * 1000L;

    @Test
    void aTaskStartSchedulesEveryOpenTraceAndEveryDecisionsExpiryAndNothingElse() {
        Rebuilt rebuilt = rebuild(0);

        assertThat(keys(rebuilt.deadlines)).containsExactlyInAnyOrder(
                describe(new DeadlineKey(3_500, DeadlineKey.Kind.DECIDE, rebuilt.open)),
                describe(new DeadlineKey(3_602_000, DeadlineKey.Kind.DECIDE, rebuilt.rootless)),
                describe(new DeadlineKey(900 + TTL_MS, DeadlineKey.Kind.FORGET, rebuilt.decided)));
    }

    @Test
    void withDeadlinesHeldOnTheHeapTheStoreKeepsOnlyTheExpiriesAndTheHeldOnesAreTakenWhenDue() {
        Rebuilt rebuilt = rebuild(TraceAssembler.MAX_HELD_DEADLINES);

        assertThat(keys(rebuilt.deadlines)).containsExactly(
                describe(new DeadlineKey(900 + TTL_MS, DeadlineKey.Kind.FORGET, rebuilt.decided)));
        // The open trace is due at 3,500 ms: the punctuator takes it from the heap, reads it and decides it.
        rebuilt.context.scheduledPunctuators().get(0).getPunctuator().punctuate(4_000);
        assertThat(rebuilt.index.get(Bytes.wrap(rebuilt.open))).isNull();
        assertThat(rebuilt.decisions.get(Bytes.wrap(rebuilt.open))).isNotNull();
        assertThat(rebuilt.index.get(Bytes.wrap(rebuilt.rootless))).isNotNull();
    }

    private record Rebuilt(MockProcessorContext<OutputKey, byte[]> context, KeyValueStore<Bytes, byte[]> index,
                           KeyValueStore<Bytes, byte[]> deadlines, KeyValueStore<Bytes, byte[]> decisions,
                           byte[] open, byte[] rootless, byte[] decided) {
    }

    private static Rebuilt rebuild(int maxHeldDeadlines) {
        List<String> problems = new ArrayList<>();
        TopologySettings settings = TopologySettings.fromConfig(Map.of("metrics", Map.of("enabled", false)), problems);
        assertThat(problems).isEmpty();
        MockProcessorContext<OutputKey, byte[]> context = new MockProcessorContext<>();
        KeyValueStore<Bytes, byte[]> spans = store(context, TracesiftTopology.SPAN_STORE);
        KeyValueStore<Bytes, byte[]> index = store(context, TracesiftTopology.INDEX_STORE);
        KeyValueStore<Bytes, byte[]> deadlines = store(context, TracesiftTopology.DEADLINE_STORE);
        KeyValueStore<Bytes, byte[]> decisions = store(context, TracesiftTopology.DECISION_STORE);
        byte[] open = TraceKey.encode(new TenantId("acme"), new byte[16]);
        byte[] rootless = TraceKey.encode(new TenantId("acme"), id(2));
        byte[] decided = TraceKey.encode(new TenantId("globex"), id(3));
        byte[] gone = TraceKey.encode(new TenantId("acme"), id(4));
        index.put(Bytes.wrap(open), new TraceIndexEntry(1_000, 1_500, 1_500, 3_500, 4, 0, 2, 2_000, false).encode());
        index.put(Bytes.wrap(rootless), new TraceIndexEntry(2_000, -1, 2_000, 3_602_000, 1, 0, 1, 500, true).encode());
        decisions.put(Bytes.wrap(decided), new DecisionEntry(900, true, "error", 1).encode());
        // Stale: a deadline the committed index no longer implies, and deadlines of a trace it does not know.
        deadlines.put(Bytes.wrap(new DeadlineKey(9_999, DeadlineKey.Kind.DECIDE, open).encode()), new byte[0]);
        deadlines.put(Bytes.wrap(new DeadlineKey(800, DeadlineKey.Kind.DECIDE, gone).encode()), new byte[0]);
        deadlines.put(Bytes.wrap(new DeadlineKey(800 + TTL_MS, DeadlineKey.Kind.FORGET, gone).encode()), new byte[0]);

        new TraceAssembler(settings, new PipelineCounters(), tenant -> { }, new TenantDirectory(settings, Set::of),
                maxHeldDeadlines, System::nanoTime).init(context);

        assertThat(spans.approximateNumEntries()).isZero();
        return new Rebuilt(context, index, deadlines, decisions, open, rootless, decided);
    }

    private static String describe(DeadlineKey key) {
        return key.dueMs() + " " + key.kind() + " " + HexFormat.of().formatHex(key.traceKey());
    }

    private static byte[] id(int n) {
        byte[] id = new byte[16];
        id[15] = (byte) n;
        return id;
    }

    private static KeyValueStore<Bytes, byte[]> store(MockProcessorContext<OutputKey, byte[]> context, String name) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static List<String> keys(KeyValueStore<Bytes, byte[]> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(describe(DeadlineKey.decode(kv.key.get()))));
        }
        return keys;
    }
}
