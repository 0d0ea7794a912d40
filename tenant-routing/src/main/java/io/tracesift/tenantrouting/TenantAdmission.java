package io.tracesift.tenantrouting;

import static io.tracesift.tenantrouting.TenantResolution.TENANT_LIMIT;
import static io.tracesift.tenantrouting.TenantResolution.UNKNOWN_TENANT;

import io.tracesift.config.ConfigSection;
import io.tracesift.tenantrouting.TenantResolution.Rejected;
import io.tracesift.tenantrouting.TenantResolution.Resolved;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a resolved tenant may have its traces stored. Pure: the caller passes the tenants whose output
 * topic already exists (from {@link TopicProvisioner#provisionedTenants()}) and the current {@link TenantRegistry}.
 *
 * <ul>
 *   <li>{@code auto}: any valid tenant is accepted and provisioned, until {@code max-tenants} output topics exist;
 *       a new tenant beyond that is rejected as {@code tenant-limit}, so garbage ids cannot create unbounded topics.</li>
 *   <li>{@code registry}: only tenants registered in {@code tracesift-tenants} are accepted, others are
 *       {@code unknown-tenant}.</li>
 * </ul>
 */
public final class TenantAdmission {

    public enum Mode { AUTO, REGISTRY }

    public static final int DEFAULT_MAX_TENANTS = 1000;
    private static final List<String> KEYS = List.of("mode", "max-tenants", "registry-topic");

    private final Mode mode;
    private final int maxTenants;
    private final String registryTopic;

    public TenantAdmission(Mode mode, int maxTenants, String registryTopic) {
        if (maxTenants < 1) {
            throw new IllegalArgumentException("maxTenants must be at least 1");
        }
        this.mode = mode;
        this.maxTenants = maxTenants;
        this.registryTopic = registryTopic;
    }

    /** Reads {@code tenancy.admission} from the {@code tenancy:} section; null if any problem was appended. */
    public static TenantAdmission fromConfig(Map<String, Object> tenancySection, List<String> problems) {
        int before = problems.size();
        ConfigSection config = ConfigSection.of("tenancy", tenancySection, problems).section("admission");
        config.rejectUnknownKeys(KEYS);
        Mode mode = config.choice("mode", Mode.class, Mode.AUTO);
        int maxTenants = config.integer("max-tenants", DEFAULT_MAX_TENANTS, 1, 1_000_000);
        String registryTopic = config.text("registry-topic", TopicNames.TENANTS);
        return problems.size() > before ? null : new TenantAdmission(mode, maxTenants, registryTopic);
    }

    public Mode mode() {
        return mode;
    }

    public int maxTenants() {
        return maxTenants;
    }

    /** The compacted topic the registry is read from (default {@code tracesift-tenants}). */
    public String registryTopic() {
        return registryTopic;
    }

    /**
     * @param provisioned tenants whose output topic exists already
     * @param registry    the registered tenants (used in registry mode)
     */
    public TenantResolution admit(TenantId tenant, Set<TenantId> provisioned, TenantRegistry registry) {
        if (mode == Mode.REGISTRY) {
            return registry.contains(tenant)
                    ? new Resolved(tenant)
                    : new Rejected(UNKNOWN_TENANT, "tenant " + tenant + " is not registered in " + registryTopic);
        }
        if (provisioned.contains(tenant) || provisioned.size() < maxTenants) {
            return new Resolved(tenant);
        }
        return new Rejected(TENANT_LIMIT, "tenant " + tenant + " is new and the limit of " + maxTenants + " tenants is reached");
    }
}
