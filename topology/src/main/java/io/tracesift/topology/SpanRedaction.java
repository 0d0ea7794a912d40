package io.tracesift.topology;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tracesift.tenantrouting.TenantId;

/**
 * Rewrites one tenant's ResourceSpans before anything is stored or emitted (DESIGN.md: sensitive values are
 * redacted first). Applied by ingest right after the tenant is known; must keep trace and span ids intact.
 */
@FunctionalInterface
public interface SpanRedaction {
    SpanRedaction NONE = (tenant, spans) -> spans;

    ResourceSpans apply(TenantId tenant, ResourceSpans spans);
}
