package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kafka:} security settings reach the gateway's and generator's Kafka clients (the span producer and the
 * admin client that makes sure the span topic exists), config providers included: the SASL password is read from a
 * file, as docs/security.md recommends, and each client must see it resolved. A metrics reporter records the
 * configuration every client is built with; no broker is needed.
 */
class ClientPropertiesTest {

    /** Records the configuration of every client that instantiates it. */
    public static final class RecordingReporter implements MetricsReporter {
        static final List<Map<String, ?>> CONFIGS = new CopyOnWriteArrayList<>();

        @Override
        public void configure(Map<String, ?> configs) {
            CONFIGS.add(new HashMap<>(configs));
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

    @TempDir
    Path secrets;

    private final Map<String, Object> kafka = new HashMap<>();

    @BeforeEach
    void configure() throws Exception {
        RecordingReporter.CONFIGS.clear();
        Files.writeString(secrets.resolve("password"), "s3cret-from-file");
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        kafka.put("metric.reporters", RecordingReporter.class.getName());
        // SASL_PLAINTEXT with PLAIN logs in without a network; the TLS setting rides along unchanged.
        kafka.put("security.protocol", "SASL_PLAINTEXT");
        kafka.put("sasl.mechanism", "PLAIN");
        kafka.put("ssl.truststore.location", "/etc/tracesift/truststore.p12");
        kafka.put("config.providers", "secretfile");
        kafka.put("config.providers.secretfile.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        kafka.put("config.providers.secretfile.param.allowed.paths", secrets.toString());
        kafka.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"gateway\" password=\"${secretfile:" + secrets + ":password}\";");
        // Settings of other clients (Kafka Streams here) are not handed to these clients.
        kafka.put("application.server", "10.0.0.1:8080");
        // Fail fast: nothing listens on port 1.
        kafka.put("default.api.timeout.ms", 300);
        kafka.put("request.timeout.ms", 200);
    }

    @Test
    void spanProducerGetsSecuritySettingsWithProvidedValuesResolved() {
        assertThatThrownBy(() -> new SpanProducer(kafka, "otlp_spans", "X-Scope-OrgID", Partitioning.KAFKA_MURMUR2,
                1_000_000, Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class);
        assertThat(RecordingReporter.CONFIGS).singleElement().satisfies(ClientPropertiesTest::hasSecurity);
    }

    @Test
    void inputTopicAdminGetsSecuritySettingsWithProvidedValuesResolved() {
        assertThatThrownBy(() -> InputTopic.ensure(kafka, "otlp_spans", 1, (short) 1, Duration.ofMillis(300)))
                .isInstanceOf(RuntimeException.class);
        assertThat(RecordingReporter.CONFIGS).singleElement().satisfies(ClientPropertiesTest::hasSecurity);
    }

    @Test
    void onlyTheClientsOwnNamesAndConfigProviderSettingsAreKept() {
        Map<String, Object> known = ClientProperties.knownTo(org.apache.kafka.clients.producer.ProducerConfig.configNames(), kafka);
        assertThat(known).containsKeys("security.protocol", "sasl.jaas.config", "config.providers",
                "config.providers.secretfile.class", "config.providers.secretfile.param.allowed.paths")
                .doesNotContainKey("application.server");
    }

    private static void hasSecurity(Map<String, ?> config) {
        assertThat(String.valueOf(config.get("security.protocol"))).isEqualTo("SASL_PLAINTEXT");
        assertThat(String.valueOf(config.get("sasl.mechanism"))).isEqualTo("PLAIN");
        assertThat(String.valueOf(config.get("ssl.truststore.location"))).isEqualTo("/etc/tracesift/truststore.p12");
        assertThat(String.valueOf(config.get("sasl.jaas.config"))).contains("password=\"s3cret-from-file\"");
    }
}
