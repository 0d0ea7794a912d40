package io.tracesift.tenantrouting;

/** Default topic names (../shared/DESIGN.md) and the per-tenant output naming rule. */
public final class TopicNames {
    public static final String INPUT = "otlp_spans";
    public static final String DLQ = "tracesift-dlq";
    public static final String FLAGS = "tracesift-flags";
    public static final String TENANTS = "tracesift-tenants";
    public static final String OUTPUT_PREFIX = "traces.";

    private TopicNames() {}

    public static String output(TenantId tenant) {
        return OUTPUT_PREFIX + tenant.value();
    }
}
