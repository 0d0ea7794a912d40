package io.tracesift.workload;

/** How records keyed by trace id are spread over the span topic's partitions (configured as sarama-fnv1a or kafka-murmur2). */
public enum Partitioning {
    /** The OpenTelemetry Collector Kafka exporter's choice ({@link SaramaHashPartitioner}): both can share a topic. */
    SARAMA_FNV1A,
    /** The Java client's default (murmur2 of the key). */
    KAFKA_MURMUR2
}
