package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * The OpenTelemetry Collector Kafka exporter's partitioner as a Kafka client {@link Partitioner}
 * ({@link Partitioning#SARAMA_FNV1A}), so records from the gateway and from Collectors keyed by the same trace id
 * land on the same partition of one topic. Keyless records go to a random partition, as in Sarama.
 */
public final class SaramaHashPartitioner implements Partitioner {
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        if (keyBytes == null) {
            return ThreadLocalRandom.current().nextInt(partitions);
        }
        return Partitioning.SARAMA_FNV1A.partition(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
