package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes OTLP trace records to the span topic as the Collector's Kafka exporter does: key = the trace id as 32
 * lowercase hex characters, value = OTLP protobuf, the tenant in a record header. Durable by default (acks=all,
 * idempotent); any Kafka producer property passed in overrides the defaults. Thread-safe.
 */
final class SpanProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String tenantHeader;

    /**
     * Opens the producer and fetches the topic's metadata, so the first request does not pay for it.
     *
     * @param maxBlock how long a send may wait for metadata or buffer space (Kafka's {@code max.block.ms})
     */
    SpanProducer(Map<String, Object> kafkaProperties, String topic, String tenantHeader, Partitioning partitioning,
                 int maxRecordBytes, Duration maxBlock) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A record is a whole trace chunk of up to maxRecordBytes plus headers and batch overhead.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1_048_576, maxRecordBytes + 16_384));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxBlock.toMillis()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        if (partitioning == Partitioning.SARAMA_FNV1A) {
            config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, SaramaHashPartitioner.class.getName());
        }
        config.putAll(ClientProperties.knownTo(ProducerConfig.configNames(), kafkaProperties));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
        this.tenantHeader = tenantHeader;
        try {
            producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw new IllegalStateException("Kafka gave no metadata for topic " + topic + " within " + maxBlock
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param tenant   the tenant header's value, or null to send no tenant header
     * @param callback called once Kafka acknowledged or refused the record (not when this method throws)
     */
    Future<RecordMetadata> send(String traceId, byte[] value, String tenant, Callback callback) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, traceId.getBytes(StandardCharsets.US_ASCII),
                value);
        if (tenant != null) {
            record.headers().add(tenantHeader, tenant.getBytes(StandardCharsets.UTF_8));
        }
        return producer.send(record, callback);
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
