package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.serdes.TraceIds;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TopicNames;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores each kept-trace record from {@code traces.<tenant>}: one chunk value per record (never rewriting a
 * growing trace), a small summary, and — once every announced chunk is here — search index entries and
 * service-graph edges. A wall-clock punctuator removes traces older than the retention in capped batches.
 */
final class RecentTracesProcessor implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(RecentTracesProcessor.class);
    private static final byte[] EMPTY = new byte[0];
    private static final long HOUR_MS = 3_600_000L;
    /**
     * An operation's last-seen time is rewritten at most this often. Every trace names the same few operations: a
     * rewrite per trace piles up millions of versions of a few hundred keys in RocksDB, which every service and
     * operation list then has to skip (measured by {@code tracesift bench query}). Expiry only needs the minute.
     */
    static final long OPERATION_REFRESH_MS = 60_000L;
    static final String CHUNK_COUNT_HEADER = "tracesift.chunk.count";
    static final String LATE_HEADER = "tracesift.late";

    private final QuerySettings settings;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<Bytes, byte[]> traces;
    private KeyValueStore<Bytes, byte[]> chunks;
    private KeyValueStore<Bytes, byte[]> index;
    private KeyValueStore<Bytes, byte[]> operations;
    private KeyValueStore<Bytes, byte[]> edges;
    private KeyValueStore<Bytes, byte[]> expiry;

    RecentTracesProcessor(QuerySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        traces = context.getStateStore(RecentTraces.TRACES_STORE);
        chunks = context.getStateStore(RecentTraces.CHUNKS_STORE);
        index = context.getStateStore(RecentTraces.INDEX_STORE);
        operations = context.getStateStore(RecentTraces.OPERATIONS_STORE);
        edges = context.getStateStore(RecentTraces.EDGES_STORE);
        expiry = context.getStateStore(RecentTraces.EXPIRY_STORE);
        context.schedule(settings.expiryInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        String tenantText = topic.startsWith(TopicNames.OUTPUT_PREFIX)
                ? topic.substring(TopicNames.OUTPUT_PREFIX.length()) : "";
        if (!TenantId.isValid(tenantText) || record.key() == null || record.value() == null) {
            return;
        }
        byte[] traceId;
        try {
            traceId = TraceIds.fromHex(new String(record.key(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            traceId = EMPTY;
        }
        if (!TraceIds.isValidTraceId(traceId)) {
            LOG.warn("Ignoring a record on {} whose key is not a 32-hex trace id", topic);
            return;
        }
        if (record.timestamp() < context.currentSystemTimeMs() - settings.retention().toMillis()) {
            return; // replaying history older than the retention: it would expire at once
        }
        ExportTraceServiceRequest request;
        try {
            request = OtlpEncoding.OTLP_PROTO.decode(record.value());
        } catch (OtlpDecodeException e) {
            LOG.warn("Ignoring an undecodable record on {}: {}", topic, e.getMessage());
            return;
        }
        store(new TenantId(tenantText), traceId, record, request);
    }

    private void store(TenantId tenant, byte[] traceId, Record<byte[], byte[]> record, ExportTraceServiceRequest request) {
        byte[] traceKey = QueryKeys.trace(tenant, traceId);
        boolean late = "true".equals(header(record, LATE_HEADER));
        byte[] raw = traces.get(Bytes.wrap(traceKey));
        TraceSummary before;
        if (raw == null) {
            before = TraceSummary.empty(record.timestamp(), late ? 1 : chunkCount(record));
            expiry.put(Bytes.wrap(QueryKeys.expiry(before.storedAtMs(), traceKey)), EMPTY);
        } else {
            before = TraceSummary.decode(raw);
        }
        chunks.put(Bytes.wrap(QueryKeys.chunk(traceKey, before.records())), record.value());
        RecordFacts facts = RecordFacts.of(request);
        TraceSummary after = before.plus(facts, !late || raw == null);
        rememberOperations(tenant, facts, record.timestamp());
        if (after.complete() && after.hasSpans()) {
            if (before.indexedStartNs() < 0) {
                // A trace that came whole in this record needs no read back of what was just stored.
                addEdges(tenant, after.records() == 1 ? request : TraceReader.read(chunks, traceKey, after.records()),
                        after);
            }
            after = reindex(tenant, traceId, before, after);
        }
        traces.put(Bytes.wrap(traceKey), after.encode());
    }

    private TraceSummary reindex(TenantId tenant, byte[] traceId, TraceSummary before, TraceSummary after) {
        if (before.indexedStartNs() >= 0) {
            long oldStartUs = before.indexedStartNs() / 1000;
            index.put(Bytes.wrap(QueryKeys.index(tenant, "", oldStartUs, traceId)), null);
            for (String service : before.services()) {
                index.put(Bytes.wrap(QueryKeys.index(tenant, service, oldStartUs, traceId)), null);
            }
        }
        long startUs = after.startNs() / 1000;
        byte[] value = ByteBuffer.allocate(Long.BYTES + 1 + Integer.BYTES).putLong(after.durationNs() / 1000)
                .put((byte) (after.errorSpans() > 0 ? 1 : 0)).putInt(after.records()).array();
        index.put(Bytes.wrap(QueryKeys.index(tenant, "", startUs, traceId)), value);
        for (String service : after.services()) {
            index.put(Bytes.wrap(QueryKeys.index(tenant, service, startUs, traceId)), value);
        }
        return after.indexedAt(after.startNs());
    }

    private void rememberOperations(TenantId tenant, RecordFacts facts, long seenMs) {
        byte[] seen = ByteBuffer.allocate(Long.BYTES).putLong(seenMs).array();
        for (String triple : facts.operations()) {
            String[] parts = triple.split("\u0000", 3);
            Bytes key = Bytes.wrap(QueryKeys.operation(tenant, parts[0], Integer.parseInt(parts[1]), parts[2]));
            byte[] old = operations.get(key);
            if (old == null || ByteBuffer.wrap(old).getLong() < seenMs - OPERATION_REFRESH_MS) {
                operations.put(key, seen);
            }
        }
    }

    /**
     * Counts calls between services (a parent span in one service, its child in another) once per trace, then
     * moves the hour's revision on, after the counts, so a reader that sees the new revision sees them too.
     */
    private void addEdges(TenantId tenant, ExportTraceServiceRequest whole, TraceSummary summary) {
        Map<String, Integer> calls = new HashMap<>();
        ServiceGraph.edges(whole).forEach(edge -> calls.merge(edge, 1, Integer::sum));
        if (calls.isEmpty()) {
            return;
        }
        long hour = Math.floorDiv(summary.startNs() / 1_000_000, HOUR_MS) * HOUR_MS;
        for (Map.Entry<String, Integer> e : calls.entrySet()) {
            String[] pc = e.getKey().split("\u0000", 2);
            Bytes key = Bytes.wrap(QueryKeys.edge(tenant, hour, pc[0], pc[1]));
            byte[] old = edges.get(key);
            long total = (old == null ? 0 : ByteBuffer.wrap(old).getLong()) + e.getValue();
            edges.put(key, ByteBuffer.allocate(Long.BYTES).putLong(total).array());
        }
        Bytes revisionKey = Bytes.wrap(QueryKeys.edgeRevision(tenant, hour));
        byte[] old = edges.get(revisionKey);
        // Created-at makes an hour that expired and came back (an old trace replayed) a new revision, not an old one.
        long created = old == null ? context.currentSystemTimeMs() : ByteBuffer.wrap(old).getLong(0);
        long updates = old == null ? 1 : ByteBuffer.wrap(old).getLong(Long.BYTES) + 1;
        edges.put(revisionKey, ByteBuffer.allocate(2 * Long.BYTES).putLong(created).putLong(updates).array());
    }

    private void expire(long now) {
        long cutoff = now - settings.retention().toMillis();
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = expiry.range(null, Bytes.wrap(QueryKeys.expiryUpTo(cutoff)))) {
            while (it.hasNext() && due.size() < settings.expiryBatch()) {
                due.add(it.next().key);
            }
        }
        for (Bytes expiryKey : due) {
            byte[] traceKey = QueryKeys.traceKeyOfExpiryKey(expiryKey.get());
            byte[] raw = traces.get(Bytes.wrap(traceKey));
            if (raw != null) {
                remove(traceKey, TraceSummary.decode(raw));
            }
            expiry.put(expiryKey, null);
        }
        removeOperationsOlderThan(cutoff);
        removeEdgesOlderThan(cutoff);
    }

    private void remove(byte[] traceKey, TraceSummary summary) {
        TenantId tenant = QueryKeys.tenantOfTraceKey(traceKey);
        byte[] traceId = QueryKeys.traceIdOfTraceKey(traceKey);
        if (summary.indexedStartNs() >= 0) {
            long startUs = summary.indexedStartNs() / 1000;
            index.put(Bytes.wrap(QueryKeys.index(tenant, "", startUs, traceId)), null);
            for (String service : summary.services()) {
                index.put(Bytes.wrap(QueryKeys.index(tenant, service, startUs, traceId)), null);
            }
        }
        for (int seq = 0; seq < summary.records(); seq++) {
            chunks.put(Bytes.wrap(QueryKeys.chunk(traceKey, seq)), null);
        }
        traces.put(Bytes.wrap(traceKey), null);
    }

    private void removeOperationsOlderThan(long cutoff) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = operations.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (ByteBuffer.wrap(kv.value).getLong() < cutoff) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(k -> operations.put(k, null));
    }

    private void removeEdgesOlderThan(long cutoff) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = edges.all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                ByteBuffer b = ByteBuffer.wrap(key.get());
                b.position(1 + (b.get(0) & 0xff));
                if (b.getLong() + HOUR_MS < cutoff) {
                    old.add(key);
                }
            }
        }
        old.forEach(k -> edges.put(k, null));
    }

    private static int chunkCount(Record<byte[], byte[]> record) {
        String count = header(record, CHUNK_COUNT_HEADER);
        if (count == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String header(Record<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
    }
}
