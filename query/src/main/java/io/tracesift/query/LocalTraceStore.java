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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
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

    private static final long HOUR_MS = 3_600_000L;
    /** Dependency windows up to this many hours (a month) are read hour by hour, each hour kept between answers. */
    static final int MAX_HOURS_ONE_BY_ONE = 31 * 24;

    private final QueryStores stores;
    private final EdgeHours edgeHours = new EdgeHours();

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
        List<PartitionScan> scans = new ArrayList<>();
        try {
            // Index entries of all partitions newest first, so a search reads about as many traces as it returns
            // (plus those its filters reject), instead of `limit` traces from every partition.
            PriorityQueue<PartitionScan> newest = new PriorityQueue<>(
                    Comparator.comparingLong(PartitionScan::startUs).reversed());
            for (int partition : partitions) {
                PartitionScan scan = new PartitionScan(tenant, search, partition, stale, warnings);
                scans.add(scan);
                if (scan.advance()) {
                    newest.add(scan);
                }
            }
            while (!newest.isEmpty() && found.size() < search.limit()) {
                PartitionScan scan = newest.poll();
                StoredTrace trace = scan.examine();
                if (trace != null) {
                    found.add(trace);
                }
                if (scan.advance()) {
                    newest.add(scan);
                }
            }
        } finally {
            scans.forEach(PartitionScan::close);
        }
        found.sort(NEWEST_FIRST);
        return new Found(found, warnings);
    }

    static final Comparator<StoredTrace> NEWEST_FIRST =
            Comparator.comparingLong(StoredTrace::startNs).reversed().thenComparing(StoredTrace::traceIdHex);

    /** One partition's index entries for a search, newest first, with its scan caps. */
    private final class PartitionScan implements AutoCloseable {
        private final TenantId tenant;
        private final TraceSearch search;
        private final int partition;
        private final List<String> warnings;
        private final ReadOnlyKeyValueStore<Bytes, byte[]> traces;
        private final ReadOnlyKeyValueStore<Bytes, byte[]> chunks;
        private final KeyValueIterator<Bytes, byte[]> entries;
        private final String service;
        // The index value carries the error flag, so error searches skip clean traces without reading them.
        private final boolean errorsOnly;
        private KeyValue<Bytes, byte[]> current;
        private int scanned;
        private int read;
        private boolean stopped;

        PartitionScan(TenantId tenant, TraceSearch search, int partition, boolean stale, List<String> warnings) {
            this.tenant = tenant;
            this.search = search;
            this.partition = partition;
            this.warnings = warnings;
            this.service = search.service() == null ? "" : search.service();
            this.errorsOnly = "true".equals(search.tags().get("error"))
                    || "ERROR".equals(search.tags().get("otel.status_code"));
            this.traces = stores.store(RecentTraces.TRACES_STORE, partition, stale);
            this.chunks = stores.store(RecentTraces.CHUNKS_STORE, partition, stale);
            this.entries = stores.store(RecentTraces.INDEX_STORE, partition, stale).reverseRange(
                    Bytes.wrap(QueryKeys.indexFrom(tenant, service, search.startUs())),
                    Bytes.wrap(QueryKeys.indexTo(tenant, service, search.endUs())));
        }

        /** Moves to the next index entry; false at the end of the range or at a scan cap. */
        boolean advance() {
            current = null;
            if (stopped || !entries.hasNext()) {
                return false;
            }
            if (++scanned > MAX_SCANNED) {
                stop("stopped after examining " + MAX_SCANNED + " traces; narrow the time range or add filters");
                return false;
            }
            current = entries.next();
            return true;
        }

        long startUs() {
            return QueryKeys.startOfIndexKey(current.key.get());
        }

        /** The current entry's trace if it matches the search, else null. */
        StoredTrace examine() {
            ByteBuffer value = ByteBuffer.wrap(current.value);
            if (!search.durationMatches(value.getLong()) || (errorsOnly && value.get() == 0)) {
                return null;
            }
            // Entries written before the index carried the record count (-1) take it from the summary.
            int records = current.value.length >= Long.BYTES + 1 + Integer.BYTES ? value.getInt(Long.BYTES + 1) : -1;
            byte[] traceId = QueryKeys.traceIdOfIndexKey(current.key.get());
            byte[] traceKey = QueryKeys.trace(tenant, traceId);
            // The summary's operation pairs spare an operation search reading traces without that operation.
            boolean operationOnly = search.operation() != null && search.tags().isEmpty();
            TraceSummary summary = null;
            if (records < 0 || operationOnly) {
                byte[] raw = traces.get(Bytes.wrap(traceKey));
                if (raw == null) {
                    return null;
                }
                summary = TraceSummary.decode(raw);
                records = summary.records();
                if (operationOnly && !summary.pairsOverflow() && !summary.hasOperation(service, search.operation())) {
                    return null;
                }
            }
            if (++read > MAX_READ) {
                stop("stopped after reading " + MAX_READ
                        + " candidate traces for tag or operation filters; narrow the time range or add a service");
                return null;
            }
            ExportTraceServiceRequest spans = TraceReader.read(chunks, traceKey, records);
            if (spans.getResourceSpansCount() == 0) {
                return null; // expired since the index entry was read
            }
            if ((search.operation() != null || !search.tags().isEmpty())
                    && !SpanMatcher.matches(spans, search.service(), search.operation(), search.tags())) {
                return null;
            }
            String traceIdHex = TraceIds.toHex(traceId);
            return summary == null ? StoredTrace.complete(traceIdHex, spans) : StoredTrace.of(traceIdHex, summary, spans);
        }

        private void stop(String why) {
            stopped = true;
            warnings.add("partition " + partition + ": " + why);
        }

        @Override
        public void close() {
            entries.close();
        }
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
     * (edges are kept per hour, so the window is widened to whole hours), sorted by parent and child.
     */
    public List<Dependency> dependencies(TenantId tenant, long endMs, long lookbackMs, Collection<Integer> partitions,
                                         boolean stale) {
        long fromHour = Math.floorDiv(endMs - lookbackMs, HOUR_MS) * HOUR_MS;
        long toHour = Math.floorDiv(endMs, HOUR_MS) * HOUR_MS;
        Map<Edge, long[]> calls = new HashMap<>();
        for (int partition : partitions) {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = stores.store(RecentTraces.EDGES_STORE, partition, stale);
            for (Dependency d : edges(store, tenant, partition, fromHour, toHour, stale)) {
                calls.computeIfAbsent(new Edge(d.parent(), d.child()), e -> new long[1])[0] += d.callCount();
            }
        }
        List<Dependency> out = new ArrayList<>(calls.size());
        calls.forEach((e, n) -> out.add(new Dependency(e.parent(), e.child(), n[0])));
        out.sort(Comparator.comparing(Dependency::parent).thenComparing(Dependency::child));
        return out;
    }

    private record Edge(String parent, String child) {
    }

    /**
     * One partition's edges of the window, hour by hour: an hour whose revision matches what {@link #edgeHours}
     * kept is taken from there, any other is read (a range over that hour alone: a range over the cached store
     * copies every cached key it spans) and kept. A standby's copy is read in one range and never kept (it may be
     * applying an hour's changes as it is read), as is a window too wide to visit hour by hour.
     */
    private List<Dependency> edges(ReadOnlyKeyValueStore<Bytes, byte[]> store, TenantId tenant, int partition,
                                   long fromHour, long toHour, boolean stale) {
        if (stale || (toHour - fromHour) / HOUR_MS >= MAX_HOURS_ONE_BY_ONE) {
            return readEdges(store, tenant, fromHour, toHour);
        }
        List<Dependency> out = new ArrayList<>();
        for (long hour = fromHour; hour <= toHour; hour += HOUR_MS) {
            // The revision is read before the edges: what is kept under it is at least as new as it.
            byte[] revision = store.get(Bytes.wrap(QueryKeys.edgeRevision(tenant, hour)));
            List<Dependency> hourEdges = revision == null ? null : edgeHours.get(partition, tenant, hour, revision);
            if (hourEdges == null) {
                hourEdges = readEdges(store, tenant, hour, hour);
                if (revision != null) {
                    edgeHours.put(partition, tenant, hour, revision, hourEdges);
                }
            }
            out.addAll(hourEdges);
        }
        return out;
    }

    /** Every edge of the hours {@code fromHour..toHour} (inclusive), past the hours' revision keys. */
    private static List<Dependency> readEdges(ReadOnlyKeyValueStore<Bytes, byte[]> store, TenantId tenant,
                                              long fromHour, long toHour) {
        List<Dependency> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(QueryKeys.edgeFrom(tenant, fromHour)),
                Bytes.wrap(QueryKeys.edgeFrom(tenant, toHour + 1)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                ByteBuffer key = ByteBuffer.wrap(kv.key.get());
                key.position(1 + (key.get(0) & 0xff) + Long.BYTES);
                if (key.hasRemaining()) {
                    out.add(new Dependency(QueryKeys.readString(key), QueryKeys.readString(key),
                            ByteBuffer.wrap(kv.value).getLong()));
                }
            }
        }
        return out;
    }

    public Set<Integer> activePartitions() {
        return stores.activePartitions();
    }
}
