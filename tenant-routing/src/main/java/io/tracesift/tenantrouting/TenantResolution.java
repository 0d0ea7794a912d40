package io.tracesift.tenantrouting;

/** Either the tenant of a group of spans, or why it could not be established. */
public sealed interface TenantResolution {
    record Resolved(TenantId tenant) implements TenantResolution {}

    /** @param reason short stable code for the DLQ header and metric label, e.g. {@code missing-tenant} */
    record Rejected(String reason, String detail) implements TenantResolution {}
}
