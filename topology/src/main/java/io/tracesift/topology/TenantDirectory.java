package io.tracesift.topology;

import io.tracesift.sampling.SamplingEngine;
import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantAdmission;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantRegistry;
import io.tracesift.tenantrouting.TenantResolution;
import io.tracesift.tenantrouting.TenantSettings;
import io.tracesift.tenantrouting.TopicProvisioner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live tenant state of one Kafka Streams instance: the rollout flags from {@code tracesift-flags} and the
 * registry from {@code tracesift-tenants}, both kept current by the global thread ({@link ControlTableProcessor})
 * and read lock-free by the stream threads (each is an immutable snapshot behind a volatile field), plus the
 * admission of tenants with the auto-mode cap.
 *
 * <p>The cap counts the tenants whose output topic existed when first asked plus every tenant this process has
 * admitted since, so a burst of new ids is capped before any topic is created. Several instances each admit up
 * to the cap from the same starting set, so the cluster-wide overshoot is bounded by instances × new tenants
 * admitted concurrently; the topic list is re-read at each instance start.
 */
public final class TenantDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);

    private final TenancySettings settings;
    private final SamplingEngine samplingEngine;
    private final Supplier<Set<TenantId>> existingTenants;
    private final Set<TenantId> admitted = ConcurrentHashMap.newKeySet();
    private volatile boolean seeded;
    private volatile FlagRules flags;
    private volatile TenantRegistry registry = TenantRegistry.empty();

    /** @param existingTenants tenants whose output topic exists already (asked once, on the first new tenant) */
    public TenantDirectory(TopologySettings topology, Supplier<Set<TenantId>> existingTenants) {
        this.settings = topology.tenancy();
        this.samplingEngine = topology.samplingEngine();
        this.existingTenants = existingTenants;
        this.flags = settings.flags();
    }

    /** The directory of a process that provisions output topics with {@code provisioner}. */
    public static TenantDirectory of(TopologySettings topology, TopicProvisioner provisioner) {
        return new TenantDirectory(topology, provisioner::provisionedTenants);
    }

    /** Output topics created with this tenant's registry settings (partitions, retention). */
    public OutputTopics outputTopics(TopicProvisioner provisioner) {
        return tenant -> provisioner.ensure(tenant, settings(tenant));
    }

    /** Registry mode: registered tenants only; auto mode: known tenants, and new ones until the cap. */
    public TenantResolution admit(TenantId tenant) {
        TenantAdmission admission = settings.admission();
        if (admission.mode() == TenantAdmission.Mode.REGISTRY) {
            return admission.admit(tenant, Set.of(), registry);
        }
        if (admitted.contains(tenant)) {
            return new TenantResolution.Resolved(tenant);
        }
        synchronized (admitted) {
            if (!seeded) {
                admitted.addAll(existingTenants.get());
                seeded = true;
            }
            TenantResolution result = admission.admit(tenant, admitted, registry);
            if (result instanceof TenantResolution.Resolved) {
                admitted.add(tenant);
            }
            return result;
        }
    }

    /** Whether spans of this service are let in (the {@code enable-observability-instrumentation} flag). */
    public boolean enabled(TenantId tenant, String service) {
        return flags.enabled(tenant, service);
    }

    public FlagRules flags() {
        return flags;
    }

    public TenantSettings settings(TenantId tenant) {
        return registry.settings(tenant).orElse(TenantSettings.DEFAULTS);
    }

    /** The sampling override the registry names for this tenant, or null for the configured chains. */
    String samplingOverride(TenantId tenant) {
        return registry.settings(tenant).flatMap(TenantSettings::sampling).orElse(null);
    }

    Optional<String> applyFlag(String key, byte[] value) {
        FlagRules.Update update = flags.apply(key, value);
        flags = update.rules();
        return update.ignoredBecause();
    }

    Optional<String> applyTenant(String key, byte[] value) {
        TenantRegistry.Update update = registry.apply(key, value);
        registry = update.registry();
        if (update.ignoredBecause().isEmpty() && value != null) {
            settings(new TenantId(key)).sampling().filter(name -> !samplingEngine.hasOverride(name)).ifPresent(name ->
                    LOG.warn("Tenant {} names sampling override {}, which sampling.overrides does not define; its traces "
                            + "use the configured chains", key, name));
        }
        return update.ignoredBecause();
    }

    /** Forgets the flags; the global thread re-applies its store after a (re)start. */
    void resetFlags() {
        flags = settings.flags();
    }

    /** Forgets the registry; the global thread re-applies its store after a (re)start. */
    void resetRegistry() {
        registry = TenantRegistry.empty();
    }
}
