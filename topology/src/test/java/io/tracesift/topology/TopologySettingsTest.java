package io.tracesift.topology;

import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.tenantrouting.Partitioning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopologySettingsTest {

    @Test
    void defaultsMatchTheDesign() {
        List<String> problems = new ArrayList<>();
        TopologySettings s = TopologySettings.fromConfig(null, problems);

        assertThat(problems).isEmpty();
        assertThat(s.inputTopic()).isEqualTo("otlp_spans");
        assertThat(s.dlqTopic()).isEqualTo("tracesift-dlq");
        assertThat(s.encoding()).isEqualTo(OtlpEncoding.AUTO);
        assertThat(s.sendDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxTraceAge()).isEqualTo(Duration.ofMinutes(60));
        assertThat(s.idleTimeout()).isEmpty();
        assertThat(s.decisionTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(s.maxSpansPerTrace()).isEqualTo(10_000);
        assertThat(s.skipRepartition()).isFalse();
        assertThat(s.partitioning()).isEqualTo(Partitioning.SARAMA_FNV1A);
        assertThat(s.maxRecordBytes()).isEqualTo(1_000_000);
        assertThat(s.stampDecisionAttributes()).isTrue();
        assertThat(s.youngWindowBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(s.tenantResolver().headerName()).isEqualTo("X-Scope-OrgID");
        assertThat(s.samplingEngine()).isNotNull();
    }

    @Test
    void readsEverySetting() {
        List<String> problems = new ArrayList<>();
        TopologySettings s = TopologySettings.fromConfig(Map.of(
                "topics", Map.of("input", "spans-in", "dlq", "bad-spans"),
                "input", Map.of("encoding", "otlp_json", "max-timestamp-skew", "1d"),
                "assembly", Map.of("send-delay", "500ms", "max-trace-age", "2h", "idle-timeout", "5m",
                        "decision-ttl", "30m", "max-spans-per-trace", 50, "skip-repartition", true,
                        "partitioner", "kafka-murmur2", "punctuate-interval", "1s", "decide-batch", 100,
                        "young-window-bytes", 0),
                "output", Map.of("max-record-bytes", 65536, "stamp-decision-attributes", false)), problems);

        assertThat(problems).isEmpty();
        assertThat(s.inputTopic()).isEqualTo("spans-in");
        assertThat(s.dlqTopic()).isEqualTo("bad-spans");
        assertThat(s.encoding()).isEqualTo(OtlpEncoding.OTLP_JSON);
        assertThat(s.maxTimestampSkew()).isEqualTo(Duration.ofDays(1));
        assertThat(s.sendDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.maxTraceAge()).isEqualTo(Duration.ofHours(2));
        assertThat(s.idleTimeout()).contains(Duration.ofMinutes(5));
        assertThat(s.decisionTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.maxSpansPerTrace()).isEqualTo(50);
        assertThat(s.skipRepartition()).isTrue();
        assertThat(s.partitioning()).isEqualTo(Partitioning.KAFKA_MURMUR2);
        assertThat(s.punctuateInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.decideBatch()).isEqualTo(100);
        assertThat(s.youngWindowBytes()).isZero();
        assertThat(s.maxRecordBytes()).isEqualTo(65536);
        assertThat(s.stampDecisionAttributes()).isFalse();
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource({
            "assembly, send-delay, soon, assembly.send-delay: 'soon' is not a duration",
            "assembly, max-spans-per-trace, 0, assembly.max-spans-per-trace: expected a whole number from 1 to 2147483647, found '0'",
            "assembly, skip-repartition, maybe, assembly.skip-repartition: expected true or false, found 'maybe'",
            "assembly, young-window-bytes, -1, assembly.young-window-bytes: expected a whole number from 0",
            "assembly, partitioner, fnv1a, assembly.partitioner: unknown partitioner 'fnv1a'",
            "assembly, sendDelay, 2s, assembly.sendDelay: unknown key",
            "input, encoding, avro, input.encoding: unknown encoding",
            "output, max-record-bytes, 100, output.max-record-bytes: must be at least 1024",
    })
    void reportsEachProblemWithItsPath(String section, String key, String value, String expected) {
        List<String> problems = new ArrayList<>();
        assertThat(TopologySettings.fromConfig(Map.of(section, Map.of(key, value)), problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith(expected);
    }

    @Test
    void reportsEveryProblemAtOnceIncludingOtherModulesSections() {
        List<String> problems = new ArrayList<>();
        TopologySettings s = TopologySettings.fromConfig(Map.of(
                "assembly", Map.of("send-delay", "2 seconds", "decision-ttl", "forever"),
                "tenancy", Map.of("header", "")), problems);

        assertThat(s).isNull();
        assertThat(problems).hasSize(3)
                .anyMatch(p -> p.startsWith("assembly.send-delay"))
                .anyMatch(p -> p.startsWith("assembly.decision-ttl"))
                .anyMatch(p -> p.startsWith("tenancy.header"));
    }

    @Test
    void streamsPropertiesDefaultToExactlyOnceAndLz4AndLetOverridesWin() {
        var props = TracesiftTopology.streamsProperties("app", "localhost:9092", "/tmp/state",
                Map.of("commit.interval.ms", "250", "producer.compression.type", "zstd"));

        assertThat(props).containsEntry("application.id", "app")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("state.dir", "/tmp/state")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("commit.interval.ms", "250")
                .containsEntry("producer.compression.type", "zstd");
        assertThat(TracesiftTopology.streamsProperties("app", "b:1", null, Map.of()))
                .containsEntry("producer.compression.type", "lz4")
                .containsEntry("producer.linger.ms", 10)
                .containsEntry("max.task.idle.ms", -1L)
                .containsEntry("main.consumer.heartbeat.interval.ms", 1000)
                .doesNotContainKey("state.dir");
    }
}
