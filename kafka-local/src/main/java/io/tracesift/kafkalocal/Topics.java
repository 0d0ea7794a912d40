package io.tracesift.kafkalocal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Explicit topic creation that returns only once every partition has a leader, so the first write cannot race
 * the topic's creation (DESIGN.md: an idempotent producer can lose its first batch on a brand-new topic).
 */
public final class Topics {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    /**
     * Creates each topic with {@code partitions} partitions and the broker's default replication factor; topics that
     * already exist are kept as they are. Waits up to 30 s for every partition of every named topic to have a leader.
     *
     * @throws IllegalStateException if creation fails or a partition is still leaderless at the deadline
     */
    public static void create(Admin admin, int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
                .toList();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + created.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, List.of(names), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + List.of(names), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + TIMEOUT.toSeconds() + " s creating topics "
                    + List.of(names), e);
        }
    }

    /** Creates the topics through a short-lived Admin client on {@code bootstrapServers}; see {@link #create(Admin, int, String...)}. */
    public static void create(String bootstrapServers, int partitions, String... names) {
        try (Admin admin = Admin.create(LocalKafkaBroker.adminConfig(bootstrapServers))) {
            create(admin, partitions, names);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> names, long deadline)
            throws InterruptedException, TimeoutException {
        List<String> leaderless = new ArrayList<>();
        while (true) {
            leaderless.clear();
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                for (TopicDescription description : descriptions.values()) {
                    for (TopicPartitionInfo partition : description.partitions()) {
                        if (partition.leader() == null || partition.leader().isEmpty()) {
                            leaderless.add(description.name() + "-" + partition.partition());
                        }
                    }
                }
                if (leaderless.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // metadata may not list a just-created topic yet; ask again
                leaderless.add(e.getCause().getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Partitions still without a leader after " + TIMEOUT.toSeconds()
                        + " s: " + leaderless);
            }
            Thread.sleep(50);
        }
    }

    private static long remainingMillis(long deadline) throws TimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new TimeoutException();
        }
        return remaining;
    }
}
