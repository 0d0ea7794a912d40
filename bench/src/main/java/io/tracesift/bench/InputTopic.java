package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.kafkalocal.Topics;
import io.tracesift.tenantrouting.Partitioning;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A benchmark input written once and read by every phase: OTLP protobuf records keyed by the hex trace id, the
 * tenant in the {@code X-Scope-OrgID} header, partitioned as the run says (by default like the Collector's exporter).
 * It remembers how many spans precede each offset, so a committed offset converts to spans consumed.
 */
final class InputTopic {
    private final String name;
    private final int partitions;
    /** spansBefore[p][o] = spans in records 0..o-1 of partition p; length = records + 1. */
    private final long[][] spansBefore;
    private final int[] records;
    private long spans;
    private long bytes;
    private long traces;

    private InputTopic(String name, int partitions) {
        this.name = name;
        this.partitions = partitions;
        this.spansBefore = new long[partitions][1024];
        this.records = new int[partitions];
    }

    /** Receives the input record by record. */
    interface Writer {
        void write(String tenant, String traceIdHex, ExportTraceServiceRequest request, int spanCount);

        void traceDone();
    }

    /** Source of an input: calls the writer for every record, in order. */
    interface Source {
        void writeTo(Writer writer);
    }

    static InputTopic write(String bootstrapServers, String name, int partitions, Partitioning partitioning,
                            Source source) {
        Topics.create(bootstrapServers, partitions, name);
        InputTopic topic = new InputTopic(name, partitions);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight per connection: on a topic created a moment earlier, a first request refused before
        // the broker applied the partition and retried after a later one was appended fails with out-of-order
        // sequence until the delivery timeout (KAFKA-15591; seen here as 120 s then a lost batch).
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            source.writeTo(new Writer() {
                @Override
                public void write(String tenant, String traceIdHex, ExportTraceServiceRequest request, int spanCount) {
                    byte[] key = traceIdHex.getBytes(StandardCharsets.US_ASCII);
                    byte[] value = request.toByteArray();
                    int partition = partitioning.partition(key, partitions);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(name, partition, key, value);
                    record.headers().add("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8));
                    // One idempotent producer: offsets per partition follow the send order, starting at 0.
                    // A callback's exception is only logged by the producer: remember it and fail after the flush.
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
                    topic.add(partition, spanCount, value.length);
                }

                @Override
                public void traceDone() {
                    topic.traces++;
                }
            });
            producer.flush();
        }
        if (failure.get() != null) {
            // The phase reading it would wait forever for the missing spans.
            throw new IllegalStateException("benchmark input " + name + " not fully written: " + failure.get(),
                    failure.get());
        }
        return topic;
    }

    private void add(int partition, int spanCount, int valueBytes) {
        long[] before = spansBefore[partition];
        int n = records[partition];
        if (n + 1 >= before.length) {
            before = spansBefore[partition] = Arrays.copyOf(before, before.length * 2);
        }
        before[n + 1] = before[n] + spanCount;
        records[partition] = n + 1;
        spans += spanCount;
        bytes += valueBytes;
    }

    /** Spans in records before {@code offset} of {@code partition} (all of them past the end). */
    long spansBefore(int partition, long offset) {
        return spansBefore[partition][(int) Math.min(offset, records[partition])];
    }

    /** Spans consumed by a group that committed these offsets (missing partitions count as nothing read). */
    long spansCommitted(Map<TopicPartition, Long> committed) {
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            Long offset = committed.get(new TopicPartition(name, p));
            total += offset == null ? 0 : spansBefore(p, offset);
        }
        return total;
    }

    String name() { return name; }

    int partitions() { return partitions; }

    long spans() { return spans; }

    long traces() { return traces; }

    long records() { return Arrays.stream(records).asLongStream().sum(); }

    double bytesPerSpan() { return spans == 0 ? 0 : (double) bytes / spans; }
}
