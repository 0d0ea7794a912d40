package io.tracesift.tenantrouting;

import io.tracesift.config.ConfigSection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a tenant's output topic {@code traces.<tenant>} is created, from {@code tenancy.topics}; per-tenant registry
 * settings override partitions and retention.
 *
 * @param partitions        partitions of a new topic (default 3)
 * @param replicationFactor replication factor; empty means the broker's {@code default.replication.factor}
 * @param retention         {@code retention.ms} of a new topic (default 30 days)
 * @param configs           further topic configs passed unchanged, e.g. {@code min.insync.replicas}
 * @param timeout           how long creating a topic and waiting for its partition leaders may take (default 30 s)
 */
public record TenantTopicSpec(int partitions, Optional<Short> replicationFactor, Duration retention,
                              Map<String, String> configs, Duration timeout) {
    public static final int DEFAULT_PARTITIONS = 3;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> KEYS = List.of("partitions", "replication-factor", "retention", "configs", "timeout");

    public TenantTopicSpec {
        configs = Map.copyOf(configs);
    }

    public static TenantTopicSpec defaults() {
        return new TenantTopicSpec(DEFAULT_PARTITIONS, Optional.empty(), DEFAULT_RETENTION, Map.of(), DEFAULT_TIMEOUT);
    }

    /** Reads {@code tenancy.topics} from the {@code tenancy:} section; null if any problem was appended. */
    public static TenantTopicSpec fromConfig(Map<String, Object> tenancySection, List<String> problems) {
        int before = problems.size();
        ConfigSection config = ConfigSection.of("tenancy", tenancySection, problems).section("topics");
        config.rejectUnknownKeys(KEYS);
        int partitions = config.integer("partitions", DEFAULT_PARTITIONS, 1, TenantSettings.MAX_PARTITIONS);
        Optional<Short> replicationFactor = config.has("replication-factor")
                ? Optional.of((short) config.integer("replication-factor", 1, 1, Short.MAX_VALUE))
                : Optional.empty();
        Duration retention = config.positiveDuration("retention", DEFAULT_RETENTION);
        Duration timeout = config.positiveDuration("timeout", DEFAULT_TIMEOUT);
        Map<String, String> configs = new LinkedHashMap<>();
        ConfigSection extra = config.section("configs");
        for (String name : extra.keys()) {
            if ("retention.ms".equals(name)) {
                extra.problem(name, "set tenancy.topics.retention instead");
            } else if (extra.raw(name) instanceof Map || extra.raw(name) instanceof List) {
                extra.problem(name, "expected a Kafka topic config value (text, a number or true/false), found "
                        + ConfigSection.show(extra.raw(name)));
            } else {
                configs.put(name, extra.has(name) ? String.valueOf(extra.raw(name)) : "");
            }
        }
        return problems.size() > before ? null
                : new TenantTopicSpec(partitions, replicationFactor, retention, configs, timeout);
    }

    /** Partitions for this tenant's topic: the registry's value, else the configured one. */
    public int partitionsFor(TenantSettings settings) {
        return settings.partitions().orElse(partitions);
    }

    /** Retention for this tenant's topic: the registry's value, else the configured one. */
    public Duration retentionFor(TenantSettings settings) {
        return settings.retention().orElse(retention);
    }
}
