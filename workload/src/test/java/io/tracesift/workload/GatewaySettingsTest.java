package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewaySettingsTest {
    private static final Map<String, Object> KAFKA = Map.of("bootstrap.servers", "127.0.0.1:9092");

    @Test
    void defaultsMatchOtlpAndTheCollector() {
        GatewaySettings d = GatewaySettings.fromConfig(Map.of(), KAFKA, new ArrayList<>());
        assertThat(d.port()).isEqualTo(4318);
        assertThat(d.topic()).isEqualTo("otlp_spans");
        assertThat(d.tenantHeader()).isEqualTo("X-Scope-OrgID");
        assertThat(d.partitioning()).isEqualTo(Partitioning.SARAMA_FNV1A);
        assertThat(d.kafka()).isEqualTo(KAFKA);
    }

    @Test
    void readsEveryKey() {
        List<String> problems = new ArrayList<>();
        GatewaySettings s = GatewaySettings.fromConfig(Map.ofEntries(Map.entry("host", "127.0.0.1"),
                Map.entry("port", 14318), Map.entry("topic", "spans"), Map.entry("tenant-header", "X-Tenant"),
                Map.entry("require-tenant", true), Map.entry("max-request-bytes", 1000),
                Map.entry("max-in-flight-bytes", 100_000), Map.entry("max-record-bytes", 50_000),
                Map.entry("ack-timeout", "10s"), Map.entry("retry-after", "2s"), Map.entry("threads", 2),
                Map.entry("partitioner", "kafka-murmur2"), Map.entry("topic-partitions", 12),
                Map.entry("topic-replication", 3)), KAFKA, problems);
        assertThat(problems).isEmpty();
        assertThat(s).isEqualTo(new GatewaySettings("127.0.0.1", 14318, "spans", "X-Tenant", true, 1000, 100_000,
                50_000, Duration.ofSeconds(10), Duration.ofSeconds(2), 2, Partitioning.KAFKA_MURMUR2, 12, (short) 3,
                KAFKA));
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource({
            "port, 70000",
            "port, -1",
            "topic, 'no spaces'",
            "tenant-header, 'X Scope'",
            "max-request-bytes, 0",
            "max-record-bytes, 10",
            "max-in-flight-bytes, 100",
            "ack-timeout, forever",
            "threads, 0",
            "partitioner, round-robin",
            "topic-partitions, -2",
            "colour, blue",
    })
    void impossibleValuesAreRefusedNamingTheKey(String key, String value) {
        List<String> problems = new ArrayList<>();
        assertThat(GatewaySettings.fromConfig(Map.of(key, value), KAFKA, problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith("gateway." + key + ": ");
    }
}
