package io.tracesift.app;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.query.OpenTraceSource;
import io.tracesift.serdes.TraceIds;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.topology.OpenTraces;
import io.tracesift.topology.OpenTraces.OpenTrace;
import io.tracesift.topology.TracesiftTopology;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The traces this instance is still assembling, read from the core's stores through interactive queries, so
 * the query API can show them "in progress". While the stores cannot be queried (starting, rebalancing,
 * stopping) there are none to show.
 */
final class AssemblingTraces implements OpenTraceSource {

    private final KafkaStreams streams;

    AssemblingTraces(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Optional<ExportTraceServiceRequest> find(TenantId tenant, String traceIdHex) {
        try {
            return reader().find(tenant, TraceIds.fromHex(traceIdHex)).map(OpenTrace::spans);
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /** The listing carries index entries only; searches match spans, so each listed trace is read in full. */
    @Override
    public Map<String, ExportTraceServiceRequest> list(TenantId tenant, int limit) {
        Map<String, ExportTraceServiceRequest> open = new LinkedHashMap<>();
        try {
            OpenTraces reader = reader();
            for (OpenTrace listed : reader.list(tenant, limit)) {
                reader.find(tenant, TraceIds.fromHex(listed.traceIdHex()))
                        .ifPresent(trace -> open.put(trace.traceIdHex(), trace.spans()));
            }
        } catch (InvalidStateStoreException e) {
            return Map.of();
        }
        return open;
    }

    private OpenTraces reader() {
        return new OpenTraces(store(TracesiftTopology.INDEX_STORE), store(TracesiftTopology.SPAN_STORE));
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
    }
}
