package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes generated batches straight to the span topic of any cluster, like the Collector's Kafka exporter with
 * {@code partition_traces_by_id}: OTLP protobuf, key = trace id hex, tenant in the tenant header. A batch over
 * {@code maxRecordBytes} is split into several records with the same key.
 */
public final class KafkaTraceSink implements TraceSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTraceSink.class);
    private static final int MAX_RECORD_BYTES = 1_000_000;

    private final SpanProducer producer;
    private final TraceSplitter splitter = new TraceSplitter(MAX_RECORD_BYTES, (tenant, service) -> true);
    private final AtomicLong failed = new AtomicLong();

    /**
     * Makes sure the topic exists (created with the broker's defaults when missing) and opens a producer.
     *
     * @param kafkaProperties Kafka client properties passed through unchanged (at least {@code bootstrap.servers})
     * @param topic           usually {@code otlp_spans}
     * @param tenantHeader    usually {@code X-Scope-OrgID}
     */
    public KafkaTraceSink(Map<String, Object> kafkaProperties, String topic, String tenantHeader,
                          Partitioning partitioning) {
        InputTopic.ensure(kafkaProperties, topic, 0, (short) 0, Duration.ofSeconds(60));
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        properties.putAll(kafkaProperties);
        // A generator should slow down, not fail, when the producer's buffer is full.
        this.producer = new SpanProducer(properties, topic, tenantHeader, partitioning, MAX_RECORD_BYTES,
                Duration.ofMinutes(2));
    }

    @Override
    public void send(TraceBatch batch) {
        if (batch.request().getSerializedSize() <= MAX_RECORD_BYTES) {
            producer.send(batch.traceId(), batch.request().toByteArray(), batch.tenant(), this::acknowledged);
            return;
        }
        for (TraceSplitter.TraceRecord record : splitter.split(batch.request(), batch.tenant()).records()) {
            producer.send(record.traceId(), record.value(), batch.tenant(), this::acknowledged);
        }
    }

    private void acknowledged(Object metadata, Exception error) {
        if (error != null && failed.getAndIncrement() == 0) {
            LOG.warn("Kafka refused a generated batch (further failures are only counted): {}", error.toString());
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public long failedBatches() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
