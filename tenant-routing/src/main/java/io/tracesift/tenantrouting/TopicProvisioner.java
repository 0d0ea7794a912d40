package io.tracesift.tenantrouting;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates each tenant's output topic {@code traces.<tenant>} before the first write to it, with the Admin client.
 *
 * <p>{@link #ensure} returns only once every partition of the topic has a leader: writing to a topic a moment after
 * its creation can lose an idempotent producer's first batch on this broker version (KAFKA-15591). A topic that
 * already exists (another instance created it, or an operator did) counts as success. Known topics are cached, so
 * the broker is asked once per tenant and process. Thread-safe.
 */
public final class TopicProvisioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long MAX_BACKOFF_MS = 500;

    private final Admin admin;
    private final TenantTopicSpec spec;
    private final Set<TenantId> known = ConcurrentHashMap.newKeySet();
    private volatile boolean listed;

    /** Thrown when a topic cannot be created or does not get its leaders in time; the message says what to do. */
    public static final class ProvisioningException extends RuntimeException {
        ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param clientProperties any Kafka client properties ({@code bootstrap.servers}, {@code security.protocol},
     *                         {@code sasl.*}, {@code ssl.*}, ...), passed to the Admin client unchanged
     */
    public TopicProvisioner(Map<String, Object> clientProperties, TenantTopicSpec spec) {
        this.admin = Admin.create(new HashMap<>(clientProperties));
        this.spec = spec;
    }

    /**
     * Makes sure the tenant's output topic exists and every partition has a leader.
     *
     * @param settings the tenant's registry settings ({@link TenantSettings#DEFAULTS} when none)
     * @return the topic name
     * @throws ProvisioningException when the topic cannot be created or led within {@code tenancy.topics.timeout}
     */
    public String ensure(TenantId tenant, TenantSettings settings) {
        String topic = TopicNames.output(tenant);
        if (known.contains(tenant)) {
            return topic;
        }
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        try {
            create(topic, settings, deadline);
            awaitLeaders(topic, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Interrupted while creating " + topic, e);
        }
        known.add(tenant);
        return topic;
    }

    /**
     * Tenants whose output topic is known to exist; the first call lists the broker's topics, so tenants created
     * before this process started are counted too (the tenant cap of {@link TenantAdmission} relies on it).
     */
    public Set<TenantId> provisionedTenants() {
        if (!listed) {
            refresh();
        }
        return Set.copyOf(known);
    }

    /** Adds every existing {@code traces.<tenant>} topic to the cache; call again to see other instances' topics. */
    public void refresh() {
        try {
            Set<String> names = admin.listTopics().names().get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            for (String name : names) {
                if (name.startsWith(TopicNames.OUTPUT_PREFIX)) {
                    String tenant = name.substring(TopicNames.OUTPUT_PREFIX.length());
                    if (TenantId.isValid(tenant)) {
                        known.add(new TenantId(tenant));
                    }
                }
            }
            listed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProvisioningException("Cannot list the cluster's topics: " + rootMessage(e), e);
        }
    }

    /**
     * Makes sure a compacted control topic ({@code tracesift-flags}, {@code tracesift-tenants}) exists with one
     * partition and a leader; an existing topic is left as it is. Replication as configured in {@code tenancy.topics}.
     */
    public void ensureCompacted(String topic) {
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        Map<String, String> configs = new HashMap<>(spec.configs());
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        try {
            create(new NewTopic(topic, Optional.of(1), spec.replicationFactor()).configs(configs), deadline);
            awaitLeaders(topic, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Interrupted while creating " + topic, e);
        }
    }

    private void create(String topic, TenantSettings settings, long deadline) throws InterruptedException {
        Map<String, String> configs = new HashMap<>(spec.configs());
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionFor(settings).toMillis()));
        create(new NewTopic(topic, Optional.of(spec.partitionsFor(settings)), spec.replicationFactor()).configs(configs),
                deadline);
    }

    private void create(NewTopic newTopic, long deadline) throws InterruptedException {
        String topic = newTopic.name();
        try {
            admin.createTopics(List.of(newTopic)).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            LOG.info("Created topic {} ({} partitions, configs {})", topic, newTopic.numPartitions(), newTopic.configs());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return;
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw new ProvisioningException("Not authorised to create " + topic + ": grant this principal CREATE "
                        + "on the topic (or on the cluster), or create the topic beforehand", e.getCause());
            }
            throw new ProvisioningException("Cannot create " + topic + ": " + rootMessage(e), e.getCause());
        } catch (TimeoutException e) {
            throw new ProvisioningException("Creating " + topic + " took longer than " + spec.timeout(), e);
        }
    }

    private void awaitLeaders(String topic, long deadline) throws InterruptedException {
        long backoffMs = 20;
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic);
                if (description != null && allLed(description)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new ProvisioningException("Cannot describe " + topic + ": " + rootMessage(e), e.getCause());
                }
            } catch (TimeoutException e) {
                break;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= deadline) {
                break;
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        throw new ProvisioningException("Not every partition of " + topic + " has a leader after " + spec.timeout()
                + "; check that enough brokers are up for its replication factor", null);
    }

    private static boolean allLed(TopicDescription description) {
        if (description.partitions().isEmpty()) {
            return false;
        }
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
