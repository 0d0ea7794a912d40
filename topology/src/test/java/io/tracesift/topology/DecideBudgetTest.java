package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A punctuation with a backlog of decisions stops after {@code assembly.decide-budget} while span groups keep coming
 * in, so that ingest goes on; it takes whole batches when no input came since the last one, when a decision left
 * would be later than send-delay, or with no budget.
 */
class DecideBudgetTest {
    /** Traces due at 3,500 ms (root seen at 1,500, send-delay 2 s), more than two chunks of them. */
    private static final int DUE = 2 * TraceAssembler.DECIDE_CHUNK + 88;
    private static final long DUE_MS = 3_500;

    @Test
    void withInputComingInAPunctuationStopsAtTheFirstChunkPastTheBudgetAndTheNextOneWithoutInputTakesTheRest() {
        Backlog backlog = backlog(Map.of());

        backlog.spanGroupArrives();
        backlog.punctuate(DUE_MS + 500);
        assertThat(backlog.open()).isEqualTo(DUE - TraceAssembler.DECIDE_CHUNK);

        backlog.punctuate(DUE_MS + 1_000); // nothing came in since: the whole backlog
        assertThat(backlog.open()).isZero();
    }

    @Test
    void decisionsLaterThanSendDelayTakeWholeBatchesEvenWithInputComingIn() {
        Backlog backlog = backlog(Map.of());

        backlog.spanGroupArrives();
        backlog.punctuate(DUE_MS + 2_001);
        assertThat(backlog.open()).isZero();
    }

    @Test
    void aZeroBudgetTakesWholeBatchesAndTheBatchStillCaps() {
        Backlog unlimited = backlog(Map.of("decide-budget", "0ms"));
        unlimited.spanGroupArrives();
        unlimited.punctuate(DUE_MS + 500);
        assertThat(unlimited.open()).isZero();

        Backlog capped = backlog(Map.of("decide-batch", 300));
        capped.punctuate(DUE_MS + 500);
        assertThat(capped.open()).isEqualTo(DUE - 300);
    }

    /** An assembler whose index holds {@link #DUE} open traces, and whose clock says each chunk took 150 ms. */
    private record Backlog(TraceAssembler assembler, MockProcessorContext<OutputKey, byte[]> context,
                           KeyValueStore<Bytes, byte[]> index) {
        void spanGroupArrives() {
            // A root-less span of a new trace: due only at max-trace-age, so it adds nothing to the backlog.
            byte[] request = Otlp.request("svc", Otlp.span(Otlp.traceId(999_999, 7), 5, 4, 0, 1, false)).toByteArray();
            byte[] key = TraceKey.encode(new TenantId("acme"), Otlp.traceId(999_999, 7).toByteArray());
            context.setCurrentSystemTimeMs(DUE_MS);
            assembler.process(new Record<>(key, SpanGroup.of(request, 1, false, false).encoded(), 0L));
        }

        void punctuate(long nowMs) {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(nowMs);
        }

        /** Traces due at {@link #DUE_MS} still undecided. */
        long open() {
            long open = 0;
            for (int i = 0; i < DUE; i++) {
                open += index.get(Bytes.wrap(key(i))) != null ? 1 : 0;
            }
            return open;
        }
    }

    private static Backlog backlog(Map<String, Object> assembly) {
        List<String> problems = new ArrayList<>();
        TopologySettings settings = TopologySettings.fromConfig(
                Map.of("metrics", Map.of("enabled", false), "assembly", assembly), problems);
        assertThat(problems).isEmpty();
        MockProcessorContext<OutputKey, byte[]> context = new MockProcessorContext<>();
        for (String name : List.of(TracesiftTopology.SPAN_STORE, TracesiftTopology.INDEX_STORE,
                TracesiftTopology.DEADLINE_STORE, TracesiftTopology.DECISION_STORE)) {
            KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(TracesiftTopology.INDEX_STORE);
        for (int i = 0; i < DUE; i++) {
            index.put(Bytes.wrap(key(i)), new TraceIndexEntry(1_000, 1_500, 1_500, DUE_MS, 0, 0, 0, 0, false).encode());
        }
        long[] nanos = {0};
        TraceAssembler assembler = new TraceAssembler(settings, new PipelineCounters(), tenant -> { },
                new TenantDirectory(settings, Set::of), TraceAssembler.MAX_HELD_DEADLINES,
                () -> nanos[0] += 150_000_000L); // read at the start and after each chunk: 150 ms a chunk
        assembler.init(context); // rebuilds the deadlines from the index
        return new Backlog(assembler, context, index);
    }

    private static byte[] key(int i) {
        byte[] id = new byte[16];
        id[14] = (byte) (i >>> 8);
        id[15] = (byte) (i + 1);
        return TraceKey.encode(new TenantId("acme"), id);
    }
}
