package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import io.tracesift.config.ConfigSection;

import io.tracesift.tenantrouting.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OTLP/HTTP gateway's settings; the constructor refuses impossible values naming the {@code gateway.<key>}.
 *
 * @param host              address to listen on ("0.0.0.0" for all)
 * @param port              TCP port (default 4318, OTLP/HTTP's); 0 picks a free one
 * @param topic             where records go (default {@code otlp_spans})
 * @param tenantHeader      the HTTP request header carrying the tenant, copied to the record header of the same name
 * @param requireTenant     answer 400 to requests without the tenant header (else the pipeline resolves the tenant
 *                          from the resource attribute {@code tenant.id})
 * @param maxRequestBytes   largest body, before and after gzip decompression; larger gets 413
 * @param maxInFlightBytes  record bytes waiting for Kafka's acknowledgement at most; beyond, requests get 429
 * @param maxRecordBytes    largest record value; larger traces are split into several records with the same key
 * @param ackTimeout        how long a request waits for Kafka's acknowledgement before answering 503
 * @param retryAfter        the {@code Retry-After} sent with 429 and 503 (whole seconds, at least 1)
 * @param threads           request handler threads (each waits for Kafka's acknowledgement of its request)
 * @param partitioning      {@code sarama-fnv1a} (default, as the Collector's Kafka exporter) or {@code kafka-murmur2}
 * @param topicPartitions   partitions when the gateway creates the topic; 0 = the broker's default
 * @param topicReplication  replication factor when the gateway creates the topic; 0 = the broker's default
 * @param kafka             Kafka client properties passed through unchanged (at least {@code bootstrap.servers})
 */
public record GatewaySettings(
        String host,
        int port,
        String topic,
        String tenantHeader,
        boolean requireTenant,
        int maxRequestBytes,
        long maxInFlightBytes,
        int maxRecordBytes,
        Duration ackTimeout,
        Duration retryAfter,
        int threads,
        Partitioning partitioning,
        int topicPartitions,
        short topicReplication,
        Map<String, Object> kafka) {

    public static final String SECTION = "gateway";
    public static final int DEFAULT_PORT = 4318;
    private static final List<String> KEYS = List.of("host", "port", "topic", "tenant-header", "require-tenant",
            "max-request-bytes", "max-in-flight-bytes", "max-record-bytes", "ack-timeout", "retry-after", "threads",
            "partitioner", "topic-partitions", "topic-replication");

    public GatewaySettings {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        List<String> problems = problems(host, port, topic, tenantHeader, maxRequestBytes, maxInFlightBytes,
                maxRecordBytes, ackTimeout, retryAfter, threads, partitioning, topicPartitions, topicReplication);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Port 4318 on all interfaces, {@code otlp_spans}, {@code X-Scope-OrgID}, 20 MiB requests, 64 MiB in flight. */
    public static GatewaySettings defaults(Map<String, Object> kafka) {
        return new GatewaySettings("0.0.0.0", DEFAULT_PORT, TopicNames.INPUT, "X-Scope-OrgID", false, 20 << 20,
                64L << 20, 1_000_000, Duration.ofSeconds(30), Duration.ofSeconds(1), 8, Partitioning.SARAMA_FNV1A, 0,
                (short) 0, kafka);
    }

    /**
     * Built from the {@code gateway:} YAML section; Kafka client properties come from the application's own
     * section and are passed in. Every problem is appended; null if there is any.
     */
    public static GatewaySettings fromConfig(Map<String, Object> section, Map<String, Object> kafka,
                                             List<String> problems) {
        GatewaySettings d = defaults(kafka);
        int before = problems.size();
        ConfigSection in = ConfigSection.of(SECTION, section, problems);
        in.rejectUnknownKeys(KEYS);
        String host = in.text("host", d.host());
        long port = in.whole("port", d.port());
        String topic = in.text("topic", d.topic());
        String header = in.text("tenant-header", d.tenantHeader());
        boolean requireTenant = in.bool("require-tenant", d.requireTenant());
        long maxRequest = in.whole("max-request-bytes", d.maxRequestBytes());
        long maxInFlight = in.whole("max-in-flight-bytes", d.maxInFlightBytes());
        long maxRecord = in.whole("max-record-bytes", d.maxRecordBytes());
        Duration ackTimeout = in.duration("ack-timeout", d.ackTimeout());
        Duration retryAfter = in.duration("retry-after", d.retryAfter());
        long threads = in.whole("threads", d.threads());
        Partitioning partitioning = in.choice("partitioner", Partitioning.class, d.partitioning());
        long partitions = in.whole("topic-partitions", d.topicPartitions());
        long replication = in.whole("topic-replication", d.topicReplication());
        if (problems.size() > before) {
            return null;
        }
        List<String> found = problems(host, clamp(port), topic, header, clamp(maxRequest), maxInFlight,
                clamp(maxRecord), ackTimeout, retryAfter, clamp(threads), partitioning, clamp(partitions),
                (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, replication)));
        if (!found.isEmpty()) {
            problems.addAll(found);
            return null;
        }
        return new GatewaySettings(host, (int) port, topic, header, requireTenant, (int) maxRequest, maxInFlight,
                (int) maxRecord, ackTimeout, retryAfter, (int) threads, partitioning, (int) partitions,
                (short) replication, kafka);
    }

    public GatewaySettings withPort(int value) {
        return new GatewaySettings(host, value, topic, tenantHeader, requireTenant, maxRequestBytes, maxInFlightBytes,
                maxRecordBytes, ackTimeout, retryAfter, threads, partitioning, topicPartitions, topicReplication, kafka);
    }

    public GatewaySettings withHost(String value) {
        return new GatewaySettings(value, port, topic, tenantHeader, requireTenant, maxRequestBytes, maxInFlightBytes,
                maxRecordBytes, ackTimeout, retryAfter, threads, partitioning, topicPartitions, topicReplication, kafka);
    }

    public GatewaySettings withTopic(String value, int partitions) {
        return new GatewaySettings(host, port, value, tenantHeader, requireTenant, maxRequestBytes, maxInFlightBytes,
                maxRecordBytes, ackTimeout, retryAfter, threads, partitioning, partitions, topicReplication, kafka);
    }

    public GatewaySettings withLimits(int maxRequest, long maxInFlight, int maxRecord) {
        return new GatewaySettings(host, port, topic, tenantHeader, requireTenant, maxRequest, maxInFlight, maxRecord,
                ackTimeout, retryAfter, threads, partitioning, topicPartitions, topicReplication, kafka);
    }

    public GatewaySettings withAckTimeout(Duration value) {
        return new GatewaySettings(host, port, topic, tenantHeader, requireTenant, maxRequestBytes, maxInFlightBytes,
                maxRecordBytes, value, retryAfter, threads, partitioning, topicPartitions, topicReplication, kafka);
    }

    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static List<String> problems(String host, int port, String topic, String tenantHeader,
                                         int maxRequestBytes, long maxInFlightBytes, int maxRecordBytes,
                                         Duration ackTimeout, Duration retryAfter, int threads,
                                         Partitioning partitioning, int topicPartitions, short topicReplication) {
        List<String> problems = new ArrayList<>();
        String p = SECTION + ".";
        if (host == null || host.isBlank()) {
            problems.add(p + "host: must not be empty; e.g. 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            problems.add(p + "port: " + port + " is not a TCP port; use 0 to 65535 (default 4318)");
        }
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            problems.add(p + "topic: '" + topic + "' is not a valid Kafka topic name");
        }
        if (tenantHeader == null || !tenantHeader.matches("[A-Za-z0-9-]{1,100}")) {
            problems.add(p + "tenant-header: '" + tenantHeader + "' is not an HTTP header name; e.g. X-Scope-OrgID");
        }
        if (maxRequestBytes < 1) {
            problems.add(p + "max-request-bytes: " + maxRequestBytes + " must be positive; e.g. 20971520");
        }
        if (maxRecordBytes < 1024) {
            problems.add(p + "max-record-bytes: " + maxRecordBytes + " must be at least 1024; e.g. 1000000");
        }
        if (maxInFlightBytes < maxRecordBytes) {
            problems.add(p + "max-in-flight-bytes: " + maxInFlightBytes + " must be at least max-record-bytes ("
                    + maxRecordBytes + ")");
        }
        if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
            problems.add(p + "ack-timeout: must be positive; e.g. \"30s\"");
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            problems.add(p + "retry-after: must be positive; e.g. \"1s\"");
        }
        if (threads < 1 || threads > 1024) {
            problems.add(p + "threads: " + threads + " must be between 1 and 1024");
        }
        if (partitioning == null) {
            problems.add(p + "partitioner: must be sarama-fnv1a or kafka-murmur2");
        }
        if (topicPartitions < 0) {
            problems.add(p + "topic-partitions: " + topicPartitions + " must not be negative; 0 = broker default");
        }
        if (topicReplication < 0) {
            problems.add(p + "topic-replication: " + topicReplication + " must not be negative; 0 = broker default");
        }
        return problems;
    }
}
