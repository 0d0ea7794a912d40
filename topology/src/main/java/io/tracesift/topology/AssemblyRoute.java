package io.tracesift.topology;

import io.tracesift.tenantrouting.Partitioning;

import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Where a span group is assembled: the repartition topic's partition of its trace, chosen by the hex trace id with
 * {@code assembly.partitioner}, so one trace's groups meet in one task whichever partition and tenant they came in
 * with. Ingest keeps a group in its own task when that task is the trace's ({@link #local}): a producer that keys by
 * trace id with the same partitioner (the Collector's {@code partition_traces_by_id}) already put it there, and
 * the group skips a write to and a read from Kafka. Every other group goes through the repartition topic, which this
 * partitioner spreads. One instance serves all tasks of one topology.
 */
final class AssemblyRoute implements StreamPartitioner<byte[], byte[]> {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Partitioning partitioning;
    /**
     * The repartition topic's partition count, as the producer last saw it; 0 until the first group went through
     * the topic. Until then every group takes the topic, which is always correct.
     */
    private volatile int partitions;

    AssemblyRoute(Partitioning partitioning) {
        this.partitioning = partitioning;
    }

    /** Whether the task reading input partition {@code taskPartition} is the one that assembles this trace. */
    boolean local(byte[] traceKey, int taskPartition) {
        int n = partitions;
        return n > 0 && partition(traceKey, n) == taskPartition;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] traceKey, byte[] group, int numPartitions) {
        partitions = numPartitions;
        return Optional.of(Set.of(partition(traceKey, numPartitions)));
    }

    private int partition(byte[] traceKey, int n) {
        return partitioning.partition(traceIdHex(traceKey), n);
    }

    /** The trace id as the Collector keys records: 32 lowercase hex characters, as bytes. */
    private static byte[] traceIdHex(byte[] traceKey) {
        byte[] hex = new byte[2 * TraceKey.TRACE_ID_BYTES];
        int from = traceKey.length - TraceKey.TRACE_ID_BYTES;
        for (int i = 0; i < TraceKey.TRACE_ID_BYTES; i++) {
            int b = traceKey[from + i] & 0xff;
            hex[2 * i] = HEX_DIGITS[b >>> 4];
            hex[2 * i + 1] = HEX_DIGITS[b & 0xf];
        }
        return hex;
    }
}
