package io.tracesift.query;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Set;

/** Read access to this instance's query stores, one store per partition (task). */
public interface QueryStores {
    /**
     * @param stale true to accept a standby replica's copy of the partition
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this instance does not host it (now)
     */
    ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale);

    /** Partitions whose query stores this instance hosts as the active copy. */
    Set<Integer> activePartitions();
}
