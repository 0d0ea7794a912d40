package io.tracesift.tenantrouting;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered tenants, as read from the compacted {@code tracesift-tenants} topic: key = tenant id, value =
 * {@link TenantSettings} JSON, a null value (tombstone) unregisters. Immutable: {@link #apply} returns a new
 * registry, so readers on the hot path see a consistent snapshot without locks. Registry records change rarely.
 */
public final class TenantRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);
    private static final TenantRegistry EMPTY = new TenantRegistry(Map.of());

    private final Map<TenantId, TenantSettings> tenants;

    private TenantRegistry(Map<TenantId, TenantSettings> tenants) {
        this.tenants = tenants;
    }

    public static TenantRegistry empty() {
        return EMPTY;
    }

    /** The outcome of applying one registry record: the new registry, and why the record was ignored if it was. */
    public record Update(TenantRegistry registry, Optional<String> ignoredBecause) {}

    /**
     * Applies one record. A record whose key is not a valid tenant id or whose value does not parse is ignored
     * (the registry is returned unchanged) and logged with the reason.
     */
    public Update apply(String key, byte[] value) {
        if (key == null || !TenantId.isValid(key)) {
            return ignored("key " + UntrustedText.preview(key) + " is not a valid tenant id");
        }
        TenantId tenant = new TenantId(key);
        Map<TenantId, TenantSettings> next = new HashMap<>(tenants);
        if (value == null) {
            next.remove(tenant);
        } else {
            try {
                next.put(tenant, TenantSettings.parse(value));
            } catch (TenantSettings.InvalidSettingsException e) {
                return ignored("record for tenant " + key + ": " + e.getMessage());
            }
        }
        return new Update(new TenantRegistry(Map.copyOf(next)), Optional.empty());
    }

    private Update ignored(String reason) {
        LOG.warn("Ignoring {} record: {}", TopicNames.TENANTS, reason);
        return new Update(this, Optional.of(reason));
    }

    public Optional<TenantSettings> settings(TenantId tenant) {
        return Optional.ofNullable(tenants.get(tenant));
    }

    public boolean contains(TenantId tenant) {
        return tenants.containsKey(tenant);
    }

    public Set<TenantId> tenants() {
        return tenants.keySet();
    }
}
