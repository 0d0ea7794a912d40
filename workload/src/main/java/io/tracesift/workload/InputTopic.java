package io.tracesift.workload;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the span topic the gateway and generator write to exists, and that every partition has a leader,
 * before the first write: broker auto-creation is off, and an idempotent producer writing to a topic created a
 * moment earlier can lose its first batch on this broker version (KAFKA-15591).
 */
final class InputTopic {
    private static final Logger LOG = LoggerFactory.getLogger(InputTopic.class);

    private InputTopic() {}

    /**
     * @param clientProperties any Kafka client properties; only those the Admin client knows are used (and config
     *                         provider settings)
     * @param partitions       partitions when the topic is created; 0 or less = the broker's default
     * @param replication      replication factor when created; 0 or less = the broker's default
     * @return the topic's partition count
     */
    static int ensure(Map<String, Object> clientProperties, String topic, int partitions, short replication,
                      Duration timeout) {
        Map<String, Object> adminProperties = ClientProperties.knownTo(AdminClientConfig.configNames(), clientProperties);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminProperties)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic,
                        partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                        replication > 0 ? Optional.of(replication) : Optional.empty())))
                        .all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                LOG.info("Created topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + topic + ": " + e.getCause(), e);
                }
            }
            long backoffMs = 20;
            while (true) {
                try {
                    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic);
                    if (!description.partitions().isEmpty()
                            && description.partitions().stream().allMatch(InputTopic::led)) {
                        return description.partitions().size();
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause(), e);
                    }
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
                    throw new IllegalStateException("Not every partition of " + topic + " has a leader after "
                            + timeout + "; check that the brokers are up");
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 500);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " while preparing topic "
                    + topic + "; check bootstrap.servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing topic " + topic, e);
        }
    }

    private static boolean led(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
