package io.tracesift.topology;

import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.ScannedSpan;
import io.tracesift.tenantrouting.TenantId;

import com.google.protobuf.ByteString;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The span store's write buffer: one value per trace and commit, what its reads see, what it drops. */
class SpanAppendBufferTest {
    private static final byte[] TRACE_A = TraceKey.encode(new TenantId("acme"), Otlp.traceId(1, 7).toByteArray());
    private static final byte[] TRACE_B = TraceKey.encode(new TenantId("acme"), Otlp.traceId(2, 7).toByteArray());

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

    @Test
    void aTracesGroupsBetweenTwoCommitsAreWrittenAsOneGroupHoldingAllTheirSpansInOrder() {
        SpanAppendBuffer store = store(1 << 20);
        store.put(spanKey(TRACE_A, 0), group(TRACE_A, 1, 2, false));
        store.put(spanKey(TRACE_B, 0), group(TRACE_B, 10, 1, false));
        store.put(spanKey(TRACE_A, 1), group(TRACE_A, 3, 1, true));
        store.put(spanKey(TRACE_A, 2), group(TRACE_A, 4, 2, false));
        assertThat(store.wrapped().approximateNumEntries()).isZero();

        store.flushCache();

        List<KeyValue<Bytes, byte[]>> written = entries(store.wrapped().all());
        assertThat(written).extracting(kv -> kv.key).containsExactlyInAnyOrder(spanKey(TRACE_A, 0), spanKey(TRACE_B, 0));
        SpanGroup a = SpanGroup.wrap(store.wrapped().get(spanKey(TRACE_A, 0)));
        assertThat(a.spanCount()).isEqualTo(5);
        assertThat(a.hasRoot()).isTrue();
        assertThat(a.hasError()).isFalse();
        assertThat(spanIds(a)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(spanIds(SpanGroup.wrap(store.wrapped().get(spanKey(TRACE_B, 0))))).containsExactly(10L);
    }

    @Test
    void theWritersRangeReadOfATraceSeesWrittenThenPendingGroupsAndItsDeletesRemoveBoth() {
        SpanAppendBuffer store = store(1 << 20);
        store.put(spanKey(TRACE_A, 0), group(TRACE_A, 1, 1, false));
        store.flush();
        store.put(spanKey(TRACE_A, 1), group(TRACE_A, 2, 1, false));
        store.put(spanKey(TRACE_A, 2), group(TRACE_A, 3, 1, false));

        List<KeyValue<Bytes, byte[]>> read = entries(store.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 2)));
        assertThat(read).extracting(kv -> kv.key).containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1));
        assertThat(read).flatExtracting(kv -> spanIds(SpanGroup.wrap(kv.value))).containsExactly(1L, 2L, 3L);
        assertThat(spanIds(SpanGroup.wrap(store.get(spanKey(TRACE_A, 1))))).containsExactly(2L, 3L);

        read.forEach(kv -> store.delete(kv.key));
        store.flush();
        assertThat(store.wrapped().approximateNumEntries()).isZero();
        assertThat(entries(store.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 2)))).isEmpty();
    }

    @Test
    void aCombinedValueStaysUnderItsByteBoundSoEachChangelogRecordFitsARequest() {
        SpanAppendBuffer store = store(1 << 24);
        int perGroup = SpanAppendBuffer.MAX_COMBINED_BYTES / 3 + 1;
        for (int seq = 0; seq < 7; seq++) {
            store.put(spanKey(TRACE_A, seq), largeGroup(TRACE_A, seq + 1, perGroup));
        }
        store.flush();

        List<KeyValue<Bytes, byte[]>> written = entries(store.wrapped().all());
        assertThat(written).extracting(kv -> kv.key)
                .containsExactly(spanKey(TRACE_A, 0), spanKey(TRACE_A, 2), spanKey(TRACE_A, 4), spanKey(TRACE_A, 6));
        assertThat(written).allSatisfy(kv -> assertThat(kv.value.length).isLessThanOrEqualTo(SpanAppendBuffer.MAX_COMBINED_BYTES));
        assertThat(written).flatExtracting(kv -> spanIds(SpanGroup.wrap(kv.value)))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aTaskStartedAgainDropsItsUncommittedGroups() {
        SpanAppendBuffer store = store(1 << 20);
        store.put(spanKey(TRACE_A, 0), group(TRACE_A, 1, 1, false));
        store.flushCache();
        store.put(spanKey(TRACE_A, 1), group(TRACE_A, 2, 1, false));

        store.init(context.getStateStoreContext(), store);
        store.flushCache();

        assertThat(entries(store.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 1))))
                .flatExtracting(kv -> spanIds(SpanGroup.wrap(kv.value))).containsExactly(1L);
    }

    @Test
    void beyondItsByteBoundItWritesEarlySoTheHeapStaysBounded() {
        byte[] first = group(TRACE_A, 1, 1, false);
        SpanAppendBuffer store = store(first.length + 1);
        store.put(spanKey(TRACE_A, 0), first);
        assertThat(store.wrapped().approximateNumEntries()).isZero();
        store.put(spanKey(TRACE_B, 0), group(TRACE_B, 2, 1, false));
        assertThat(store.wrapped().approximateNumEntries()).isEqualTo(2);
    }

    @Test
    void otherThreadsSeeOnlyWrittenGroupsAndTheWritersWideScansWriteFirst() throws InterruptedException {
        SpanAppendBuffer store = store(1 << 20);
        store.put(spanKey(TRACE_A, 0), group(TRACE_A, 1, 1, false));

        AtomicReference<List<KeyValue<Bytes, byte[]>>> seenByQuery = new AtomicReference<>();
        Thread query = new Thread(() -> seenByQuery.set(entries(store.range(spanKey(TRACE_A, 0), spanKey(TRACE_A, 9)))));
        query.start();
        query.join();
        assertThat(seenByQuery.get()).isEmpty();

        assertThat(entries(store.all())).extracting(kv -> kv.key).containsExactly(spanKey(TRACE_A, 0));
        assertThat(store.wrapped().approximateNumEntries()).isEqualTo(1);
    }

    private SpanAppendBuffer store(long maxPendingBytes) {
        KeyValueStore<Bytes, byte[]> store = SpanAppendBuffer.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("spans"), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                maxPendingBytes).build();
        store.init(context.getStateStoreContext(), store);
        return (SpanAppendBuffer) store;
    }

    /** {@code count} spans with ids from {@code firstSpanId}; a root when {@code root}. */
    private static byte[] group(byte[] traceKey, long firstSpanId, int count, boolean root) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstSpanId + i;
            spans.add(Otlp.span(ByteString.copyFrom(traceKey, traceKey.length - 16, 16), id,
                    root && i == 0 ? 0 : 99, 1_000, 2_000, false));
        }
        byte[] payload = Otlp.request("svc", spans.toArray(Span[]::new)).toByteArray();
        return SpanGroup.of(payload, count, root, false).encoded();
    }

    /** One span whose name makes the encoded group at least {@code bytes} long. */
    private static byte[] largeGroup(byte[] traceKey, long spanId, int bytes) {
        Span span = Otlp.span(ByteString.copyFrom(traceKey, traceKey.length - 16, 16), spanId, 99, 1_000, 2_000, false)
                .toBuilder().setName("x".repeat(bytes)).build();
        return SpanGroup.of(Otlp.request("svc", span).toByteArray(), 1, false, false).encoded();
    }

    private static List<Long> spanIds(SpanGroup group) {
        List<Long> ids = new ArrayList<>();
        for (ScannedSpan s : group.spans()) {
            ids.add(s.facts().spanId().asReadOnlyByteBuffer().getLong());
        }
        return ids;
    }

    private static Bytes spanKey(byte[] traceKey, int seq) {
        return Bytes.wrap(TraceKey.spanKey(traceKey, seq));
    }

    private static List<KeyValue<Bytes, byte[]>> entries(KeyValueIterator<Bytes, byte[]> it) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (it) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }
}
