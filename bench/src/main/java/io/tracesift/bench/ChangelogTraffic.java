package io.tracesift.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * What one Kafka Streams phase wrote to its changelog topics, per store: offsets used (records, plus one transaction
 * marker per commit and partition under exactly-once) and bytes in the broker's log. Each changelog record is work
 * for the stream thread (serialise, compress, send, acknowledge) and for the broker, unlike CPU a count that does
 * not depend on the machine's load.
 *
 * @param byStore store name -> {offsets, bytes}
 */
record ChangelogTraffic(Map<String, long[]> byStore) {
    private static final String SUFFIX = "-changelog";

    static final ChangelogTraffic NONE = new ChangelogTraffic(Map.of());

    ChangelogTraffic {
        byStore = Map.copyOf(byStore);
    }

    /** Reads the end offsets and log sizes of every changelog topic of {@code applicationId}. */
    static ChangelogTraffic of(Admin admin, String applicationId) throws ExecutionException, InterruptedException {
        String prefix = applicationId + "-";
        Set<String> topics = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(prefix) && t.endsWith(SUFFIX)).collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return NONE;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        Map<String, long[]> byStore = new TreeMap<>();
        ends.forEach((tp, end) -> byStore.computeIfAbsent(store(tp.topic(), prefix), k -> new long[2])[0] += end.offset());
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(
                admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions().get();
        dirs.values().forEach(byDir -> byDir.values().forEach(dir -> {
            for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                String topic = replica.getKey().topic();
                if (topics.contains(topic)) {
                    byStore.computeIfAbsent(store(topic, prefix), k -> new long[2])[1] += replica.getValue().size();
                }
            }
        }));
        return new ChangelogTraffic(byStore);
    }

    private static String store(String topic, String prefix) {
        return topic.substring(prefix.length(), topic.length() - SUFFIX.length());
    }

    long offsets() {
        return byStore.values().stream().mapToLong(v -> v[0]).sum();
    }

    long bytes() {
        return byStore.values().stream().mapToLong(v -> v[1]).sum();
    }

    /** Offsets and bytes per span of {@code spans}, in all and per store (largest first). */
    String describe(long spans) {
        if (byStore.isEmpty()) {
            return "no changelog";
        }
        return String.format(Locale.ROOT, "%.3f offsets/span, %.1f B/span (", (double) offsets() / spans,
                (double) bytes() / spans) + byStore.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .map(e -> String.format(Locale.ROOT, "%s %.3f / %.1f B", e.getKey(), (double) e.getValue()[0] / spans,
                        (double) e.getValue()[1] / spans))
                .collect(Collectors.joining(", ")) + ")";
    }
}
