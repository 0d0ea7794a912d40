package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantTopicSpecTest {

    @Test
    void defaultsAreThreePartitionsBrokerReplicationAndThirtyDays() {
        List<String> problems = new ArrayList<>();
        TenantTopicSpec spec = TenantTopicSpec.fromConfig(Map.of(), problems);
        assertThat(problems).isEmpty();
        assertThat(spec).isEqualTo(TenantTopicSpec.defaults());
        assertThat(spec.partitions()).isEqualTo(3);
        assertThat(spec.replicationFactor()).isEmpty();
        assertThat(spec.retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void readsEveryKey() {
        List<String> problems = new ArrayList<>();
        TenantTopicSpec spec = TenantTopicSpec.fromConfig(Map.of("topics", Map.of(
                "partitions", 12, "replication-factor", 3, "retention", "7d", "timeout", "10s",
                "configs", Map.of("min.insync.replicas", 2, "compression.type", "lz4"))), problems);
        assertThat(problems).isEmpty();
        assertThat(spec).isEqualTo(new TenantTopicSpec(12, Optional.of((short) 3), Duration.ofDays(7),
                Map.of("min.insync.replicas", "2", "compression.type", "lz4"), Duration.ofSeconds(10)));
    }

    @Test
    void registrySettingsOverridePartitionsAndRetention() throws Exception {
        TenantTopicSpec spec = TenantTopicSpec.defaults();
        TenantSettings settings = TenantSettings.parse("{\"partitions\": 8, \"retention\": \"2h\"}".getBytes(UTF_8));
        assertThat(spec.partitionsFor(settings)).isEqualTo(8);
        assertThat(spec.retentionFor(settings)).isEqualTo(Duration.ofHours(2));
        assertThat(spec.partitionsFor(TenantSettings.DEFAULTS)).isEqualTo(3);
        assertThat(spec.retentionFor(TenantSettings.DEFAULTS)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void everyConfigurationProblemIsListed() {
        List<String> problems = new ArrayList<>();
        assertThat(TenantTopicSpec.fromConfig(Map.of("topics", Map.of(
                "partitions", 0, "replication-factor", "three", "retention", "30 days", "timeout", "0s",
                "configs", Map.of("retention.ms", "1"), "partition", 3)), problems)).isNull();
        assertThat(problems).hasSize(6)
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.partitions:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.replication-factor:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.retention:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.timeout:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.configs.retention.ms:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.topics.partition: unknown key"));
    }
}
