package io.tracesift.query;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query state of a running {@link KafkaStreams}: routing from its metadata (every instance must set
 * {@code application.server} to its own HTTP {@code host:port}) and local reads through interactive queries.
 */
final class KafkaStreamsCluster implements Cluster, QueryStores {
    private final KafkaStreams streams;
    private final Host self;

    KafkaStreamsCluster(KafkaStreams streams, Host self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public Host self() {
        return self;
    }

    /**
     * Every tenant topic is keyed by the trace id's hex string and all have the same partition count, so the
     * default partitioner over that string names the partition (and so the task) for every tenant at once.
     */
    @Override
    public Optional<Owner> ownerOf(String traceIdHex) {
        KeyQueryMetadata md;
        try {
            md = streams.queryMetadataForKey(RecentTraces.TRACES_STORE, traceIdHex, Serdes.String().serializer());
        } catch (ArithmeticException noTopicYet) {
            // Kafka Streams divides by the feed's partition count, 0 until a traces.* topic is subscribed
            // (no tenant yet, or the first one's topic is just appearing): no owner, every instance is asked.
            return Optional.empty();
        }
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null
                || md.activeHost().equals(HostInfo.unavailable())) {
            return Optional.empty();
        }
        return Optional.of(new Owner(md.partition(), host(md.activeHost()),
                md.standbyHosts().stream().map(KafkaStreamsCluster::host).toList()));
    }

    @Override
    public List<Member> members() {
        List<Member> members = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            boolean active = m.stateStoreNames().contains(RecentTraces.TRACES_STORE);
            boolean standby = m.standbyStateStoreNames().contains(RecentTraces.TRACES_STORE);
            if (active || standby) {
                members.add(new Member(host(m.hostInfo()), active ? partitions(m.topicPartitions()) : Set.of(),
                        standby ? partitions(m.standbyTopicPartitions()) : Set.of()));
            }
        }
        return members;
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<Bytes, byte[]>> params = StoreQueryParameters
                .fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition);
        return streams.store(stale ? params.enableStaleStores() : params);
    }

    @Override
    public Set<Integer> activePartitions() {
        for (Member m : members()) {
            if (m.host().equals(self)) {
                return m.active();
            }
        }
        return Set.of();
    }

    private static Set<Integer> partitions(Collection<TopicPartition> topicPartitions) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : topicPartitions) {
            if (RecentTraces.TOPICS.matcher(tp.topic()).matches()) {
                out.add(tp.partition());
            }
        }
        return out;
    }

    private static Host host(HostInfo info) {
        return new Host(info.host(), info.port());
    }
}
