package io.tracesift.tenantrouting;

/** Either the tenant of a group of spans, or why it could not be established. */
public sealed interface TenantResolution {
    /** No source named a tenant and no default tenant is configured. */
    String MISSING_TENANT = "missing-tenant";
    /** A source named a tenant id outside {@link TenantId}'s character set or length. */
    String INVALID_TENANT = "invalid-tenant";
    /** Two sources named different tenants and the conflict policy is {@code reject}. */
    String TENANT_CONFLICT = "tenant-conflict";
    /** Registry admission: the tenant is not registered in {@code tracesift-tenants}. */
    String UNKNOWN_TENANT = "unknown-tenant";
    /** Auto admission: the tenant is new and the configured number of tenants is reached. */
    String TENANT_LIMIT = "tenant-limit";

    record Resolved(TenantId tenant) implements TenantResolution {}

    /** @param reason short stable code for the DLQ header and metric label, e.g. {@code missing-tenant} */
    record Rejected(String reason, String detail) implements TenantResolution {}
}
