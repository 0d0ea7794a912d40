package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.serdes.TraceIds;
import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Answers queries from the query stores this instance hosts. Every read is scoped by the tenant prefix of the
 * keys, so nothing here can return another tenant's data.
 */
public final class LocalTraceStore {
    /** Index entries one search examines per partition before it stops and says so. */
    static final int MAX_SCANNED = 200_000;
    /** Traces one search reads in full per partition (tag and operation filters) before it stops and says so. */
    static final int MAX_READ = 20_000;

    private final QueryStores stores;

    public LocalTraceStore(QueryStores stores) {
        this.stores = stores;
    }

    /** The kept trace in {@code partition}, empty when this tenant has no such trace there. */
    public Optional<StoredTrace> trace(TenantId tenant, String traceIdHex, int partition, boolean stale) {
        byte[] traceKey = QueryKeys.trace(tenant, TraceIds.fromHex(traceIdHex));
        byte[] raw = stores.store(RecentTraces.TRACES_STORE, partition, stale).get(Bytes.wrap(traceKey));
        if (raw == null) {
            return Optional.empty();
        }
        TraceSummary summary = TraceSummary.decode(raw);
        ExportTraceServiceRequest spans = TraceReader.read(
                stores.store(RecentTraces.CHUNKS_STORE, partition, stale), traceKey, summary.records());
        return Optional.of(StoredTrace.of(traceIdHex, summary, spans));
    }

    /** Search result of some partitions: newest first, at most the search's limit, plus why it may be partial. */
    public record Found(List<StoredTrace> traces, List<String> warnings) {
    }

    public Found search(TenantId tenant, TraceSearch search, Collection<Integer> partitions, boolean stale) {
        List<StoredTrace> found = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int partition : partitions) {
            found.addAll(searchPartition(tenant, search, partition, stale, warnings));
        }
        found.sort(NEWEST_FIRST);
        return new Found(found.size() > search.limit() ? List.copyOf(found.subList(0, search.limit())) : found,
                warnings);
    }

    static final Comparator<StoredTrace> NEWEST_FIRST =
            Comparator.comparingLong(StoredTrace::startNs).reversed().thenComparing(StoredTrace::traceIdHex);

    private List<StoredTrace> searchPartition(TenantId tenant, TraceSearch search, int partition, boolean stale,
                                              List<String> warnings) {
        ReadOnlyKeyValueStore<Bytes, byte[]> index = stores.store(RecentTraces.INDEX_STORE, partition, stale);
        ReadOnlyKeyValueStore<Bytes, byte[]> traces = stores.store(RecentTraces.TRACES_STORE, partition, stale);
        ReadOnlyKeyValueStore<Bytes, byte[]> chunks = stores.store(RecentTraces.CHUNKS_STORE, partition, stale);
        String service = search.service() == null ? "" : search.service();
        List<StoredTrace> found = new ArrayList<>();
        // The index value carries the error flag, so error searches skip clean traces without reading them.
        boolean errorsOnly = "true".equals(search.tags().get("error"))
                || "ERROR".equals(search.tags().get("otel.status_code"));
        int scanned = 0;
        int read = 0;
        try (KeyValueIterator<Bytes, byte[]> it = index.reverseRange(
                Bytes.wrap(QueryKeys.indexFrom(tenant, service, search.startUs())),
                Bytes.wrap(QueryKeys.indexTo(tenant, service, search.endUs())))) {
            while (it.hasNext() && found.size() < search.limit()) {
                if (++scanned > MAX_SCANNED) {
                    warnings.add("partition " + partition + ": stopped after examining " + MAX_SCANNED
                            + " traces; narrow the time range or add filters");
                    break;
                }
                KeyValue<Bytes, byte[]> entry = it.next();
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                if (!search.durationMatches(value.getLong()) || (errorsOnly && value.get() == 0)) {
                    continue;
                }
                byte[] traceId = QueryKeys.traceIdOfIndexKey(entry.key.get());
                byte[] traceKey = QueryKeys.trace(tenant, traceId);
                byte[] raw = traces.get(Bytes.wrap(traceKey));
                if (raw == null) {
                    continue;
                }
                TraceSummary summary = TraceSummary.decode(raw);
                if (search.operation() != null && search.tags().isEmpty() && !summary.pairsOverflow()
                        && !summary.hasOperation(service, search.operation())) {
                    continue;
                }
                if (++read > MAX_READ) {
                    warnings.add("partition " + partition + ": stopped after reading " + MAX_READ
                            + " candidate traces for tag or operation filters; narrow the time range or add a service");
                    break;
                }
                ExportTraceServiceRequest spans = TraceReader.read(chunks, traceKey, summary.records());
                if ((search.operation() != null || !search.tags().isEmpty())
                        && !SpanMatcher.matches(spans, search.service(), search.operation(), search.tags())) {
                    continue;
                }
                found.add(StoredTrace.of(TraceIds.toHex(traceId), summary, spans));
            }
        }
        return found;
    }

    /** Services with kept traces of this tenant in the given partitions, sorted. */
    public Set<String> services(TenantId tenant, Collection<Integer> partitions, boolean stale) {
        Set<String> services = new TreeSet<>();
        for (Operation op : operations(tenant, null, partitions, stale)) {
            services.add(op.service());
        }
        return services;
    }

    /** An operation (span name) of a service, with its OTLP span kind number. */
    public record Operation(String service, String name, int spanKind) {
    }

    /** Operations of one service (or every service when null), sorted by service, name, kind. */
    public List<Operation> operations(TenantId tenant, String service, Collection<Integer> partitions, boolean stale) {
        Set<Operation> ops = new TreeSet<>(Comparator.comparing(Operation::service).thenComparing(Operation::name)
                .thenComparingInt(Operation::spanKind));
        Bytes prefix = Bytes.wrap(QueryKeys.operationPrefix(tenant, service));
        for (int partition : partitions) {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = stores.store(RecentTraces.OPERATIONS_STORE, partition, stale);
            try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(prefix, Serdes.Bytes().serializer())) {
                while (it.hasNext()) {
                    ByteBuffer key = ByteBuffer.wrap(it.next().key.get());
                    key.position(1 + (key.get(0) & 0xff));
                    String svc = QueryKeys.readString(key);
                    int kind = key.get();
                    byte[] name = new byte[key.remaining()];
                    key.get(name);
                    ops.add(new Operation(svc, new String(name, java.nio.charset.StandardCharsets.UTF_8), kind));
                }
            }
        }
        return List.copyOf(ops);
    }

    /** Calls between two services summed over a time window. */
    public record Dependency(String parent, String child, long callCount) {
    }

    /**
     * Edges of kept traces whose start falls in the hours overlapping {@code [endMs - lookbackMs, endMs]}
     * (edges are kept per hour, so the window is widened to whole hours).
     */
    public List<Dependency> dependencies(TenantId tenant, long endMs, long lookbackMs, Collection<Integer> partitions,
                                         boolean stale) {
        long hour = 3_600_000L;
        long fromHour = Math.floorDiv(endMs - lookbackMs, hour) * hour;
        long toHour = Math.floorDiv(endMs, hour) * hour;
        Map<String, Long> calls = new TreeMap<>();
        for (int partition : partitions) {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = stores.store(RecentTraces.EDGES_STORE, partition, stale);
            try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(QueryKeys.edgeFrom(tenant, fromHour)),
                    Bytes.wrap(QueryKeys.edgeFrom(tenant, toHour + 1)))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    ByteBuffer key = ByteBuffer.wrap(kv.key.get());
                    key.position(1 + (key.get(0) & 0xff) + Long.BYTES);
                    String parent = QueryKeys.readString(key);
                    String child = QueryKeys.readString(key);
                    calls.merge(parent + '\u0000' + child, ByteBuffer.wrap(kv.value).getLong(), Long::sum);
                }
            }
        }
        List<Dependency> out = new ArrayList<>();
        calls.forEach((k, v) -> {
            String[] pc = k.split("\u0000", 2);
            out.add(new Dependency(pc[0], pc[1], v));
        });
        return out;
    }

    public Set<Integer> activePartitions() {
        return stores.activePartitions();
    }
}
