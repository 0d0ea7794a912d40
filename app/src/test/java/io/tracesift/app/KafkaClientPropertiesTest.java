package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;
import io.tracesift.topology.TopologySettings;
import io.tracesift.topology.TracesiftTopology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kafka:} pass-through properties (SASL, TLS) reach the configuration of every Kafka client tracesift
 * creates: the topic provisioner's Admin client, the flags command's producer and consumer, and every client inside
 * Kafka Streams (admin, main consumer, restore consumer, global consumer, exactly-once producer). Each client is
 * really constructed; a metrics reporter, which every Kafka client configures with its full configuration, records
 * what each one got. No broker is needed: clients connect lazily.
 */
class KafkaClientPropertiesTest {

    /** Records the configuration of every client that instantiates it. */
    public static final class RecordingReporter implements MetricsReporter {
        static final List<Map<String, ?>> CONFIGS = new CopyOnWriteArrayList<>();

        @Override
        public void configure(Map<String, ?> configs) {
            CONFIGS.add(new HashMap<>(configs)); // values may be null
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
        }

        @Override
        public void metricChange(KafkaMetric metric) {
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
        }

        @Override
        public void close() {
        }
    }

    // SASL_PLAINTEXT with PLAIN logs in without a network; the TLS settings ride along unchanged.
    private static final Map<String, String> SECURITY = Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"tracesift\" password=\"s3cret\";",
            "ssl.truststore.location", "/etc/tracesift/truststore.p12",
            "ssl.truststore.type", "PKCS12",
            "ssl.endpoint.identification.algorithm", "https");

    @TempDir
    java.nio.file.Path stateDir;

    private Map<String, String> kafka;

    @BeforeEach
    void reset() {
        RecordingReporter.CONFIGS.clear();
        kafka = new HashMap<>(SECURITY);
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        kafka.put("metric.reporters", RecordingReporter.class.getName());
    }

    @Test
    void topicProvisionerAdminGetsThem() {
        new TopicProvisioner(new HashMap<>(kafka), TenantTopicSpec.defaults()).close();
        assertThat(RecordingReporter.CONFIGS).hasSize(1).allSatisfy(KafkaClientPropertiesTest::hasSecurity);
    }

    @Test
    void flagsCommandProducerConsumerAndAdminGetThem() {
        try (FlagsTopic flags = new FlagsTopic(kafka, FlagRules.of(true), TenantTopicSpec.defaults())) {
            new KafkaProducer<>(flags.producerConfig(), new StringSerializer(), new ByteArraySerializer()).close();
            new KafkaConsumer<>(flags.consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer()).close();
        }
        assertThat(RecordingReporter.CONFIGS).hasSize(3).allSatisfy(KafkaClientPropertiesTest::hasSecurity);
        assertThat(RecordingReporter.CONFIGS).extracting(c -> String.valueOf(c.get("client.id")))
                .contains("tracesift-flags-producer", "tracesift-flags-reader");
    }

    @Test
    void everyKafkaStreamsClientGetsThem() {
        List<String> problems = new ArrayList<>();
        TopologySettings settings = TopologySettings.fromConfig(Map.of(), problems);
        StreamsBuilder builder = new StreamsBuilder();
        TracesiftTopology.build(builder, settings, tenant -> { }, new io.tracesift.topology.PipelineCounters());
        var properties = TracesiftTopology.streamsProperties("tracesift-props", "127.0.0.1:1", stateDir.toString(), kafka);
        try (KafkaStreams streams = new KafkaStreams(builder.build(properties), properties)) {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        }
        List<String> clients = RecordingReporter.CONFIGS.stream()
                .filter(c -> c.containsKey("client.id")).map(c -> String.valueOf(c.get("client.id"))).toList();
        assertThat(clients).anyMatch(id -> id.endsWith("-admin"))
                .anyMatch(id -> id.endsWith("-global-consumer"))
                .anyMatch(id -> id.endsWith("-restore-consumer"))
                .anyMatch(id -> id.endsWith("-producer"))
                .anyMatch(id -> id.matches(".*StreamThread-1-consumer"));
        assertThat(RecordingReporter.CONFIGS.stream().filter(c -> c.containsKey("client.id")))
                .allSatisfy(KafkaClientPropertiesTest::hasSecurity);
    }

    private static void hasSecurity(Map<String, ?> config) {
        SECURITY.forEach((name, value) -> assertThat(String.valueOf(config.get(name))).as(name).isEqualTo(value));
    }
}
