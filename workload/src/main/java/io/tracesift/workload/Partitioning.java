package io.tracesift.workload;

import java.util.Locale;

/** How records keyed by trace id are spread over the span topic's partitions. */
public enum Partitioning {
    /** The OpenTelemetry Collector Kafka exporter's choice ({@link SaramaHashPartitioner}): both can share a topic. */
    SARAMA_FNV1A,
    /** The Java client's default (murmur2 of the key). */
    KAFKA_MURMUR2;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code sarama-fnv1a} or {@code kafka-murmur2}; null when the value is neither. */
    public static Partitioning fromConfig(String value) {
        for (Partitioning p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        return null;
    }
}
