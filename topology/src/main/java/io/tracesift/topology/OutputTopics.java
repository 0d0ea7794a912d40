package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

/**
 * Makes sure a tenant's output topic exists, with every partition led, before the first write to it
 * (auto-created topics can lose an idempotent producer's first batch on this broker version).
 * Called on the stream thread the first time this process writes for a tenant; blocks until done.
 */
@FunctionalInterface
public interface OutputTopics {
    void ensure(TenantId tenant);
}
