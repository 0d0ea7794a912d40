package io.tracesift.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka settings the chart renders for SASL_SSL with mutual TLS, given to Kafka's own config classes with the
 * Secret files in place: every {@code ${secretfile:...}} resolves to the file's content, for plain clients and
 * through Kafka Streams to its inner clients, and nothing outside the allowed folder can be read.
 */
class ChartKafkaSecretsIT {
    private static final String MOUNT_ROOT = "/etc/tracesift/secrets";

    @TempDir
    static Path secrets;
    private static Map<String, Object> kafka;

    @BeforeAll
    static void renderAndMountSecrets() throws IOException {
        String output = Helm.locate().run(List.of("template", "ts", RepositoryPaths.chart().toString(),
                "-f", RepositoryPaths.chart().resolve("ci/secure-values.yaml").toString())).assertSuccess("helm template").output();
        JsonNode config = Manifests.readYaml(Manifests.parse(output).get("ConfigMap", "ts-tracesift-config")
                .at("/data/tracesift.yaml").asText());
        kafka = new HashMap<>();
        // the pod's mount folder, moved to a temporary one
        config.path("kafka").fields().forEachRemaining(e ->
                kafka.put(e.getKey(), e.getValue().asText().replace(MOUNT_ROOT, secrets.toString())));
        kafka.put("bootstrap.servers", config.path("bootstrap-servers").asText());

        // what the kubelet writes from the Secrets (volume items map the Secret keys to these names)
        Files.createDirectories(secrets.resolve("kafka-sasl"));
        Files.writeString(secrets.resolve("kafka-sasl/username"), "tracesift");
        Files.writeString(secrets.resolve("kafka-sasl/password"), "s3cr3t-\"quoted\"");
        Files.createDirectories(secrets.resolve("kafka-tls"));
        Files.writeString(secrets.resolve("kafka-tls/ca.crt"), "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
        Files.writeString(secrets.resolve("kafka-tls/tls.crt"), "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n");
        Files.writeString(secrets.resolve("kafka-tls/tls.key"), "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void clientConfigReadsTheCredentialsFromTheMountedFiles() throws IOException {
        AdminClientConfig admin = new AdminClientConfig(kafka);
        assertThat(admin.getString(AdminClientConfig.SECURITY_PROTOCOL_CONFIG)).isEqualTo("SASL_SSL");
        assertThat(admin.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value()).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tracesift\" "
                        + "password=\"s3cr3t-\"quoted\"\";");
        // Kafka trims password-type values; PEM needs no trailing newline
        assertThat(admin.getPassword(SslConfigs.SSL_KEYSTORE_KEY_CONFIG).value())
                .isEqualTo(Files.readString(secrets.resolve("kafka-tls/tls.key")).strip());
        assertThat(admin.getPassword(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG).value())
                .isEqualTo(Files.readString(secrets.resolve("kafka-tls/tls.crt")).strip());
        assertThat(Path.of(admin.getString(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG))).exists();
    }

    @Test
    void kafkaStreamsPassesTheResolvedValuesToItsClients() {
        Map<String, Object> streams = new HashMap<>(kafka);
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracesift-prod");
        StreamsConfig config = new StreamsConfig(streams);
        List<Map<String, Object>> clients = new ArrayList<>(List.of(
                config.getMainConsumerConfigs("tracesift-prod", "c", 0),
                config.getProducerConfigs("p"),
                config.getAdminConfigs("a")));
        for (Map<String, Object> client : clients) {
            Object jaas = client.get(SaslConfigs.SASL_JAAS_CONFIG);
            String text = jaas instanceof Password password ? password.value() : String.valueOf(jaas);
            assertThat(text).contains("username=\"tracesift\"").doesNotContain("${");
        }
    }

    @Test
    void filesOutsideTheSecretsFolderAreNotRead() {
        Map<String, Object> hostile = new HashMap<>(kafka);
        hostile.put(SaslConfigs.SASL_JAAS_CONFIG, "x required password=\"${secretfile:/etc:hostname}\";");
        // the provider refuses the path (allowed.paths) and the reference stays as written
        assertThat(new AdminClientConfig(hostile).getPassword(SaslConfigs.SASL_JAAS_CONFIG).value())
                .isEqualTo("x required password=\"${secretfile:/etc:hostname}\";");
    }
}
