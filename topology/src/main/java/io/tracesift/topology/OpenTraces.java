package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads traces still being assembled from the stores (interactive queries or a processor's own stores), for the
 * query API's "in progress" view. Pass {@link TracesiftTopology#INDEX_STORE} and {@link TracesiftTopology#SPAN_STORE}.
 */
public final class OpenTraces {
    /** An open trace: its index entry and, when read by id, its spans so far grouped by resource and scope. */
    public record OpenTrace(TenantId tenant, String traceIdHex, TraceIndexEntry index, ExportTraceServiceRequest spans) {}

    private final ReadOnlyKeyValueStore<Bytes, byte[]> index;
    private final ReadOnlyKeyValueStore<Bytes, byte[]> spans;

    public OpenTraces(ReadOnlyKeyValueStore<Bytes, byte[]> index, ReadOnlyKeyValueStore<Bytes, byte[]> spans) {
        this.index = index;
        this.spans = spans;
    }

    /** The open trace with this id in this tenant, with its spans; empty when not open here (decided or unknown). */
    public Optional<OpenTrace> find(TenantId tenant, byte[] traceId) {
        byte[] key = TraceKey.encode(tenant, traceId);
        byte[] raw = index.get(Bytes.wrap(key));
        if (raw == null) {
            return Optional.empty();
        }
        TraceIndexEntry entry = TraceIndexEntry.decode(raw);
        SpanBatch batch = new SpanBatch();
        if (entry.nextSeq() > 0) {
            try (KeyValueIterator<Bytes, byte[]> it = spans.range(
                    Bytes.wrap(TraceKey.spanKey(key, 0)), Bytes.wrap(TraceKey.spanKey(key, entry.nextSeq() - 1)))) {
                while (it.hasNext()) {
                    for (ResourceSpans rs : SpanGroup.wrap(it.next().value).request().getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span span : ss.getSpansList()) {
                                batch.add(rs, ss, span);
                            }
                        }
                    }
                }
            }
        }
        return Optional.of(new OpenTrace(tenant, TraceKey.traceIdHex(key), entry, batch.toRequest()));
    }

    /** Up to {@code limit} open traces of the tenant (index entries only, spans empty), in trace id order. */
    public List<OpenTrace> list(TenantId tenant, int limit) {
        byte[] t = tenant.value().getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[1 + t.length];
        prefix[0] = (byte) t.length;
        System.arraycopy(t, 0, prefix, 1, t.length);
        List<OpenTrace> open = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = index.prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
            while (it.hasNext() && open.size() < limit) {
                KeyValue<Bytes, byte[]> kv = it.next();
                open.add(new OpenTrace(tenant, TraceKey.traceIdHex(kv.key.get()), TraceIndexEntry.decode(kv.value),
                        ExportTraceServiceRequest.getDefaultInstance()));
            }
        }
        return open;
    }
}
