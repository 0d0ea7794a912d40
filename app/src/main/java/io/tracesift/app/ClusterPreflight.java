package io.tracesift.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before Kafka Streams starts, that the cluster answers and the topics tracesift reads and writes
 * exist: otherwise Streams would retry silently forever (unreachable cluster) or fail later with a vaguer
 * message. Topics are never created here: their partitions and retention are the operator's decision.
 */
final class ClusterPreflight {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ClusterPreflight() {
    }

    /**
     * @param topics setting name (e.g. "topics.input") to topic name
     * @throws IllegalStateException naming the cluster, or every missing topic and the setting that names it
     */
    static void check(Map<String, String> kafkaProperties, Map<String, String> topics) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        String cluster = kafkaProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(config)) {
            Map<String, KafkaFuture<?>> described = new HashMap<>();
            admin.describeTopics(new LinkedHashSet<>(topics.values())).topicNameValues()
                    .forEach((topic, future) -> described.put(topic, future));
            for (Map.Entry<String, String> setting : topics.entrySet()) {
                try {
                    described.get(setting.getValue()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("cannot check topic '" + setting.getValue() + "' on Kafka at "
                                + cluster + ": " + e.getCause().getMessage(), e.getCause());
                    }
                    missing.add("'" + setting.getValue() + "' (" + setting.getKey() + ")");
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + cluster + " within " + TIMEOUT.toSeconds()
                    + " s; check --bootstrap-servers and the kafka: security settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + cluster, e);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topic" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " does" : " do") + " not exist on Kafka at " + cluster
                    + "; create " + (missing.size() == 1 ? "it" : "them") + " or name existing ones in the configuration");
        }
    }
}
