package io.tracesift.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Transactions that a partition of the topics this application writes holds open although their coordinator no
 * longer counts the partition in them: "hanging" transactions, as {@code kafka-transactions.sh find-hanging} calls
 * them. Nothing ends such a transaction, so the partition's last stable offset stays below it for good, and a store
 * restoring from it (read_committed) never finishes: its stream thread never reaches RUNNING.
 *
 * <p>Seen after a single-node broker was killed while a commit's markers were being written: on restart its
 * transaction coordinator resumed the commit before the broker had its partitions' leadership back, found no leader
 * and dropped those markers as if the partitions had been deleted. The group's offsets, committed in the same
 * transactions, can hang the same way in {@code __consumer_offsets}: the broker then answers every fetch of those
 * offsets that they are not yet stable, and the stream threads wait for them for good.
 *
 * <p>A partition's open transaction hangs when the coordinator has no transaction of that producer that includes the
 * partition. A transaction being committed or aborted keeps the partition in its coordinator's list until the
 * partition's marker is written; so one seen open, then left by its coordinator, is asked about once more and counts
 * only if the partition still holds it open from the same offset. (The producers' write timestamps are no guide: a
 * changelog record carries the timestamp of the span that caused it.)
 */
final class HangingTransactions {

    /** Kafka's topic of the groups' committed offsets, where a transaction commits its consumer's offsets. */
    static final String GROUP_OFFSETS_TOPIC = "__consumer_offsets";

    private static final long TIMEOUT_SECONDS = 10;

    /** A transaction a partition holds open, as the partition's leader describes its producers. */
    record Open(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch, long startOffset) {
    }

    /** A producer's transaction as its coordinator describes it. */
    record Coordinated(String transactionalId, String state, Set<TopicPartition> partitions) {
    }

    /** An open transaction its coordinator has left; {@code coordinated} null when the coordinator has none. */
    record Hanging(Open open, Coordinated coordinated) {
        /** Whether a producer of this application (transactional id {@code <application id>-...}) opened it. */
        boolean ours(String applicationId) {
            return coordinated != null && coordinated.transactionalId().startsWith(applicationId + "-");
        }

        String describe() {
            return open.partition() + " holds a transaction open from offset " + open.startOffset() + " (producer "
                    + open.producerId() + ", epoch " + open.producerEpoch() + ") that its coordinator "
                    + (coordinated == null ? "does not know"
                            : "no longer counts (" + coordinated.transactionalId() + " is " + coordinated.state() + ")");
        }

        /** The operator's command that ends it. */
        String abortCommand(String bootstrapServers) {
            return "kafka-transactions.sh --bootstrap-server " + bootstrapServers + " abort --topic "
                    + open.partition().topic() + " --partition " + open.partition().partition() + " --start-offset "
                    + open.startOffset();
        }
    }

    private HangingTransactions() {
    }

    /** Which of the open transactions hang, given the coordinators' transactions by producer id. */
    static List<Hanging> classify(Collection<Open> open, Map<Long, Coordinated> coordinatedByProducer) {
        List<Hanging> hanging = new ArrayList<>();
        for (Open o : open) {
            Coordinated c = coordinatedByProducer.get(o.producerId());
            if (c == null || !c.partitions().contains(o.partition())) {
                hanging.add(new Hanging(o, c));
            }
        }
        return hanging;
    }

    /**
     * Looks for hanging transactions on the {@code topics} and, when {@code abort}, aborts those the producers of
     * {@code applicationId} opened.
     *
     * @return what was found and done, one line each; empty when nothing hangs
     * @throws Exception when the cluster does not answer
     */
    static List<String> inspect(Admin admin, Predicate<String> topics, String applicationId, String bootstrapServers,
                                boolean abort) throws Exception {
        return inspect(admin, topics, applicationId, bootstrapServers, abort, HangingTransactions::coordinated);
    }

    /** How the coordinators describe the current transactions of some producer ids, by producer id. */
    @FunctionalInterface
    interface Coordinators {
        Map<Long, Coordinated> of(Admin admin, Set<Long> producerIds) throws Exception;
    }

    /** {@link #inspect(Admin, Predicate, String, String, boolean)}, the coordinators' view from {@code coordinators}. */
    static List<String> inspect(Admin admin, Predicate<String> topics, String applicationId, String bootstrapServers,
                                boolean abort, Coordinators coordinators) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(topics).collect(Collectors.toSet());
        for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<TopicPartition> behind = partitions.stream()
                .filter(tp -> stable.get(tp).offset() < ends.get(tp).offset()).toList();
        if (behind.isEmpty()) {
            return List.of();
        }
        List<Open> open = openTransactions(admin, behind);
        Map<Long, Coordinated> coordinated = coordinators.of(admin,
                open.stream().map(Open::producerId).collect(Collectors.toSet()));
        List<Hanging> candidates = classify(open, coordinated);
        if (candidates.isEmpty()) {
            return List.of();
        }
        // Still open from the same offset after its coordinator was seen without it: not a commit that just ended.
        Set<Open> stillOpen = Set.copyOf(openTransactions(admin,
                candidates.stream().map(h -> h.open().partition()).distinct().toList()));
        List<String> lines = new ArrayList<>();
        for (Hanging h : candidates) {
            if (!stillOpen.contains(h.open())) {
                continue;
            }
            Open o = h.open();
            if (abort && h.ours(applicationId)) {
                admin.abortTransaction(new AbortTransactionSpec(o.partition(), o.producerId(), (short) o.producerEpoch(),
                        o.coordinatorEpoch())).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                lines.add(h.describe() + ": aborted it, so the partition's readers go on; the records it holds"
                        + " (offsets " + o.startOffset() + " to " + (ends.get(o.partition()).offset() - 1)
                        + " at most) are lost to them");
            } else {
                lines.add(h.describe() + ": readers of the partition wait until it ends; end it with "
                        + h.abortCommand(bootstrapServers));
            }
        }
        return lines;
    }

    private static List<Open> openTransactions(Admin admin, List<TopicPartition> partitions) throws Exception {
        List<Open> open = new ArrayList<>();
        // A partition that has seen no marker of the producer's coordinator has no epoch for it: 0, as kafka-transactions.sh.
        admin.describeProducers(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, state) -> {
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent()) {
                    open.add(new Open(tp, p.producerId(), p.producerEpoch(), p.coordinatorEpoch().orElse(0),
                            p.currentTransactionStartOffset().getAsLong()));
                }
            }
        });
        return open;
    }

    /** The coordinators' current transaction of each producer id, by producer id. */
    private static Map<Long, Coordinated> coordinated(Admin admin, Set<Long> producerIds) throws Exception {
        if (producerIds.isEmpty()) {
            return Map.of();
        }
        Collection<TransactionListing> listings = admin.listTransactions(
                new ListTransactionsOptions().filterProducerIds(producerIds)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (listings.isEmpty()) {
            return Map.of();
        }
        Map<String, TransactionDescription> described = admin.describeTransactions(listings.stream()
                .map(TransactionListing::transactionalId).toList()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<Long, Coordinated> byProducer = new HashMap<>();
        described.forEach((id, d) -> byProducer.put(d.producerId(),
                new Coordinated(id, d.state().toString(), Set.copyOf(d.topicPartitions()))));
        return byProducer;
    }
}
