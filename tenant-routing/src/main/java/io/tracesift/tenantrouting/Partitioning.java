package io.tracesift.tenantrouting;

import org.apache.kafka.common.utils.Utils;

/**
 * How records keyed by trace id (32 lowercase hex characters, as the Collector's {@code partition_traces_by_id}
 * writes them) are spread over a topic's partitions; configured as {@code sarama-fnv1a} or {@code kafka-murmur2}.
 * The gateway writes with one of them, and the assembly repartitions with one, so that records their producers
 * already put on the right partition need no second trip through Kafka.
 */
public enum Partitioning {
    /**
     * The OpenTelemetry Collector Kafka exporter's choice: Sarama's default hash partitioner (also franz-go's
     * {@code SaramaCompatHasher}). FNV-1a 32-bit over the key bytes, read as a signed 32-bit integer, modulo the
     * partition count, negated when negative.
     */
    SARAMA_FNV1A {
        @Override
        public int partition(byte[] key, int partitions) {
            // Java's % truncates toward zero like Go's, so the sign handling matches Sarama's.
            int partition = fnv1a32(key) % partitions;
            return partition < 0 ? -partition : partition;
        }
    },
    /** The Java client's default: murmur2 of the key bytes, made positive, modulo the partition count. */
    KAFKA_MURMUR2 {
        @Override
        public int partition(byte[] key, int partitions) {
            return Utils.toPositive(Utils.murmur2(key)) % partitions;
        }
    };

    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    /** The partition of a record keyed by {@code key} among {@code partitions}. */
    public abstract int partition(byte[] key, int partitions);

    /** FNV-1a, 32 bits, as Go's {@code hash/fnv.New32a}; the result's bits as a Java int. */
    public static int fnv1a32(byte[] bytes) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
