package io.tracesift.tenantrouting;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Establishes the tenant of one ResourceSpans group from the record header value and the resource
 * attributes (and, in topic mode, the input topic's name). Pure: no Kafka imports.
 */
public final class TenantResolver {

    /** Built from the {@code tenancy:} YAML section; problems are appended as "tenancy.x: ..."; null on any. */
    public static TenantResolver fromConfig(Map<String, Object> section, List<String> problems) {
        throw new UnsupportedOperationException("TODO(tenant-routing)");
    }

    /** Name of the record header carrying the tenant (default {@code X-Scope-OrgID}). */
    public String headerName() {
        throw new UnsupportedOperationException("TODO(tenant-routing)");
    }

    /**
     * @param inputTopic     the topic the record came from
     * @param headerValue    the tenant header's value, null when absent
     * @param resourceAttribute looks up a string resource attribute of the group, null when absent
     */
    public TenantResolution resolve(String inputTopic, String headerValue, Function<String, String> resourceAttribute) {
        throw new UnsupportedOperationException("TODO(tenant-routing)");
    }
}
