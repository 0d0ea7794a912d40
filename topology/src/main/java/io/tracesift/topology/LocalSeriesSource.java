package io.tracesift.topology;

import io.tracesift.aggregation.Label;
import io.tracesift.aggregation.SeriesKey;
import io.tracesift.aggregation.SeriesSource;
import io.tracesift.aggregation.SeriesValue;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series of the metric stores of this instance's active tasks, read with interactive queries, one partition
 * at a time. Each series gets the label {@code partition}: a partition's counters are exposed only by the
 * instance running it and move with it on a rebalance, so a series (labels + partition) never goes backwards
 * on one instance, and {@code sum()} over instances and partitions gives the total. Standby replicas are never
 * read (they would count twice).
 */
public final class LocalSeriesSource implements SeriesSource {
    public static final String PARTITION_LABEL = "partition";
    private static final List<String> STORES = List.of(MetricsStores.SPAN_METRICS_STORE, MetricsStores.TRACE_METRICS_STORE);

    private final KafkaStreams streams;

    public LocalSeriesSource(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public void forEachSeries(Visitor visitor) {
        visit(null, visitor);
    }

    @Override
    public void forEachSeries(String tenant, Visitor visitor) {
        visit(tenant, visitor);
    }

    private void visit(String tenant, Visitor visitor) {
        Set<Integer> partitions = localPartitions();
        for (String store : STORES) {
            for (int partition : partitions) {
                ReadOnlyKeyValueStore<Bytes, byte[]> kv = store(store, partition);
                if (kv == null) {
                    continue;
                }
                String label = Integer.toString(partition);
                try (KeyValueIterator<Bytes, byte[]> it = tenant == null ? kv.all()
                        : kv.prefixScan(Bytes.wrap(SeriesKey.tenantPrefix(tenant)), Serdes.Bytes().serializer())) {
                    it.forEachRemaining(e -> visitor.visit(withPartition(SeriesKey.fromBytes(e.key.get()), label),
                            SeriesValue.fromBytes(e.value)));
                } catch (InvalidStateStoreException e) {
                    // The task moved away while being read: its new owner exposes it from now on.
                }
            }
        }
    }

    private Set<Integer> localPartitions() {
        Set<Integer> partitions = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread ->
                thread.activeTasks().forEach(task -> partitions.add(task.taskId().partition())));
        return partitions;
    }

    /** The partition's store if this instance runs it as an active task, else null. */
    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                    .withPartition(partition));
        } catch (InvalidStateStoreException e) {
            return null;
        }
    }

    private static SeriesKey withPartition(SeriesKey key, String partition) {
        List<Label> labels = new ArrayList<>(key.labels().size() + 1);
        labels.addAll(key.labels());
        labels.add(new Label(PARTITION_LABEL, partition));
        return new SeriesKey(key.tenant(), key.family(), labels);
    }
}
