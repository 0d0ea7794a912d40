package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.tenantrouting.TenantResolution.Rejected;
import io.tracesift.tenantrouting.TenantResolution.Resolved;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicProvisionerIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static Map<String, Object> client() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    }

    private static TenantTopicSpec spec(int partitions, Duration retention) {
        return new TenantTopicSpec(partitions, Optional.empty(), retention, Map.of("compression.type", "lz4"), Duration.ofSeconds(30));
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static String config(Admin admin, String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.get(name).value();
    }

    @Test
    void createsTheTopicWithItsSettingsAndEveryLeaderBeforeReturning() throws Exception {
        try (TopicProvisioner provisioner = new TopicProvisioner(client(), spec(4, Duration.ofDays(2)));
             Admin admin = Admin.create(client())) {
            String topic = provisioner.ensure(new TenantId("acme"), TenantSettings.DEFAULTS);

            assertThat(topic).isEqualTo("traces.acme");
            TopicDescription description = describe(admin, topic);
            assertThat(description.partitions()).hasSize(4).allSatisfy(p -> assertThat(p.leader()).isNotNull());
            assertThat(config(admin, topic, "retention.ms")).isEqualTo(Long.toString(Duration.ofDays(2).toMillis()));
            assertThat(config(admin, topic, "compression.type")).isEqualTo("lz4");
            assertThat(provisioner.provisionedTenants()).contains(new TenantId("acme"));
        }
        assertIdempotentWritesRightAfterCreationAllArrive("traces.acme", 4);
    }

    /** The DESIGN.md pitfall: the first batch of an idempotent producer must not be lost on a fresh topic. */
    private static void assertIdempotentWritesRightAfterCreationAllArrive(String topic, int partitions) throws Exception {
        Map<String, Object> producerConfig = new HashMap<>(client());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 200; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, ("span-" + i).getBytes(UTF_8))));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = new HashMap<>(client());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < 200 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(new String(record.value(), UTF_8));
                }
            }
        }
        assertThat(received).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void registrySettingsOverridePartitionsAndRetention() throws Exception {
        TenantSettings settings = TenantSettings.parse("{\"partitions\": 2, \"retention\": \"6h\"}".getBytes(UTF_8));
        try (TopicProvisioner provisioner = new TopicProvisioner(client(), spec(4, Duration.ofDays(30)));
             Admin admin = Admin.create(client())) {
            String topic = provisioner.ensure(new TenantId("initech"), settings);

            assertThat(describe(admin, topic).partitions()).hasSize(2);
            assertThat(config(admin, topic, "retention.ms")).isEqualTo(Long.toString(Duration.ofHours(6).toMillis()));
        }
    }

    @Test
    void anExistingTopicCountsAsSuccessAndIsLeftAsItIs() throws Exception {
        KAFKA.createTopics(1, "traces.globex");
        try (TopicProvisioner provisioner = new TopicProvisioner(client(), spec(4, Duration.ofDays(30)));
             Admin admin = Admin.create(client())) {
            assertThat(provisioner.ensure(new TenantId("globex"), TenantSettings.DEFAULTS)).isEqualTo("traces.globex");
            assertThat(describe(admin, "traces.globex").partitions()).hasSize(1);
        }
    }

    @Test
    void instancesProvisioningTheSameTenantAtOnceAllSucceed() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (TopicProvisioner first = new TopicProvisioner(client(), spec(3, Duration.ofDays(1)));
             TopicProvisioner second = new TopicProvisioner(client(), spec(3, Duration.ofDays(1)));
             Admin admin = Admin.create(client())) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TopicProvisioner provisioner = i % 2 == 0 ? first : second;
                results.add(threads.submit(() -> provisioner.ensure(new TenantId("hooli"), TenantSettings.DEFAULTS)));
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("traces.hooli");
            }
            assertThat(describe(admin, "traces.hooli").partitions()).hasSize(3)
                    .extracting(TopicPartitionInfo::leader).doesNotContainNull();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void existingTenantTopicsCountTowardsTheTenantCap() {
        KAFKA.createTopics(1, "traces.cap-1", "traces.cap-2", "traces.not.a.tenant", "unrelated-topic");
        try (TopicProvisioner provisioner = new TopicProvisioner(client(), spec(1, Duration.ofDays(1)))) {
            Set<TenantId> provisioned = provisioner.provisionedTenants();

            assertThat(provisioned).contains(new TenantId("cap-1"), new TenantId("cap-2"));
            assertThat(provisioned).extracting(TenantId::value).doesNotContain("not.a.tenant", "ed-topic");
            TenantAdmission capped = new TenantAdmission(TenantAdmission.Mode.AUTO, provisioned.size(), TopicNames.TENANTS);
            assertThat(capped.admit(new TenantId("cap-1"), provisioned, TenantRegistry.empty()))
                    .isEqualTo(new Resolved(new TenantId("cap-1")));
            assertThat(capped.admit(new TenantId("cap-3"), provisioned, TenantRegistry.empty()))
                    .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("tenant-limit"));
        }
    }

    @Test
    void securitySettingsReachTheAdminClient() {
        Map<String, Object> sasl = new HashMap<>(client());
        sasl.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        sasl.put("sasl.mechanism", "PLAIN");
        sasl.put("sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
        TenantTopicSpec quick = new TenantTopicSpec(1, Optional.empty(), Duration.ofDays(1), Map.of(), Duration.ofSeconds(3));
        // The local broker speaks PLAINTEXT only: a SASL client cannot complete a handshake with it, which shows
        // the settings were applied rather than dropped.
        try (TopicProvisioner provisioner = new TopicProvisioner(sasl, quick)) {
            assertThatThrownBy(() -> provisioner.ensure(new TenantId("sasl"), TenantSettings.DEFAULTS))
                    .isInstanceOf(TopicProvisioner.ProvisioningException.class);
        }
        try (TopicProvisioner plain = new TopicProvisioner(client(), quick)) {
            assertThat(plain.provisionedTenants()).doesNotContain(new TenantId("sasl"));
        }
    }
}
