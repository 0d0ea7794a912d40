package io.tracesift.app;

import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted {@code tracesift-flags} topic as the {@code flags} command sees it: writes one flag record or a
 * tombstone, or reads the topic to its end into the effective {@link FlagRules}. The topic is created (compacted) when
 * missing. Every Kafka client it creates gets the {@code kafka:} pass-through properties unchanged.
 */
final class FlagsTopic implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> clientProperties;
    private final FlagRules configured;
    private final TopicProvisioner provisioner;

    /**
     * @param clientProperties {@code bootstrap.servers} and every {@code kafka:} property (SASL, TLS, ...)
     * @param configured       the {@code flags:} section: topic name and default for unflagged services
     */
    FlagsTopic(Map<String, String> clientProperties, FlagRules configured, TenantTopicSpec topicSpec) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.configured = configured;
        this.provisioner = new TopicProvisioner(this.clientProperties, topicSpec);
    }

    String topic() {
        return configured.topic();
    }

    /** Writes {@code key -> enabled}, or a tombstone when {@code enabled} is null; returns once the broker acked it. */
    void write(String key, Boolean enabled) {
        provisioner.ensureCompacted(topic());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            byte[] value = enabled == null ? null : FlagRules.encodeValue(enabled);
            producer.send(new ProducerRecord<>(topic(), key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to " + topic() + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** Reads the whole topic, from its start to its current end, applying each record as the pipeline does. */
    FlagRules read() {
        provisioner.ensureCompacted(topic());
        FlagRules rules = configured;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic(), TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic() + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    rules = rules.apply(record.key(), record.value()).rules();
                }
            }
        }
        return rules;
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tracesift-flags-producer");
        return config;
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        // No group: the command reads the whole topic and commits nothing.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tracesift-flags-reader");
        return config;
    }

    @Override
    public void close() {
        provisioner.close();
    }
}
