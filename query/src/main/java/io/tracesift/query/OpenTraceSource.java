package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.tenantrouting.TenantId;

import java.util.Map;
import java.util.Optional;

/**
 * Traces still being assembled by the core pipeline, so a long-running workflow can be found and watched before
 * it is decided. Implemented over the core's assembly stores; answers from this instance's local state only (the
 * query layer asks every instance).
 */
@FunctionalInterface
public interface OpenTraceSource {
    /** No open traces (used until the core provides its implementation). */
    OpenTraceSource NONE = (tenant, traceIdHex) -> Optional.empty();

    /**
     * @param traceIdHex 32 lowercase hex characters
     * @return the spans received so far for this tenant's open trace, or empty when this instance holds none
     */
    Optional<ExportTraceServiceRequest> find(TenantId tenant, String traceIdHex);

    /**
     * Open traces of a tenant on this instance, for searches (which filter them like kept traces).
     *
     * @return at most {@code limit} entries, trace id hex → spans so far; none by default
     */
    default Map<String, ExportTraceServiceRequest> list(TenantId tenant, int limit) {
        return Map.of();
    }
}
