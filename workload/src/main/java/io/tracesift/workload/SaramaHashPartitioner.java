package io.tracesift.workload;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * The OpenTelemetry Collector Kafka exporter's partitioner: Sarama's default hash partitioner (also franz-go's
 * {@code SaramaCompatHasher}), so records from the gateway and from Collectors keyed by the same trace id land on
 * the same partition of one topic. FNV-1a 32-bit over the key bytes, read as a signed 32-bit integer, modulo the
 * partition count, negated when negative. Keyless records go to a random partition, as in Sarama.
 */
public final class SaramaHashPartitioner implements Partitioner {
    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    /** FNV-1a, 32 bits, as Go's {@code hash/fnv.New32a}; the result's bits as a Java int. */
    public static int fnv1a32(byte[] bytes) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** The partition Sarama picks for {@code key} among {@code partitions}. */
    public static int partition(byte[] key, int partitions) {
        // Java's % truncates toward zero like Go's, so the sign handling matches Sarama's.
        int partition = fnv1a32(key) % partitions;
        return partition < 0 ? -partition : partition;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        if (keyBytes == null) {
            return ThreadLocalRandom.current().nextInt(partitions);
        }
        return partition(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
