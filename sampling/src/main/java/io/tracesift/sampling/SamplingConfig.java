package io.tracesift.sampling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated {@code sampling:} section: the default policy chain and each tenant's own chain,
 * which replaces the default chain for that tenant. Chains are evaluated first-match.
 *
 * @param policies the default chain; {@link #DEFAULT_POLICIES} when the section does not list any
 * @param tenants  tenant id to that tenant's chain
 */
public record SamplingConfig(List<PolicyConfig> policies, Map<String, List<PolicyConfig>> tenants) {

    /** error, then slow (2 s), then probabilistic (10 %). */
    public static final List<PolicyConfig> DEFAULT_POLICIES = List.of(
            new PolicyConfig.ErrorConfig(ErrorPolicy.REASON),
            new PolicyConfig.LatencyConfig(LatencyPolicy.REASON, LatencyPolicy.DEFAULT_THRESHOLD, List.of()),
            new PolicyConfig.ProbabilisticConfig(ProbabilisticPolicy.REASON, ProbabilisticPolicy.DEFAULT_PROBABILITY));

    private static final List<String> KEYS = List.of("policies", "tenants");

    public SamplingConfig {
        policies = List.copyOf(policies);
        tenants = Map.copyOf(tenants);
    }

    public static SamplingConfig defaults() {
        return new SamplingConfig(DEFAULT_POLICIES, Map.of());
    }

    /**
     * Parses and validates the section (null or empty: the defaults). Appends every problem, as
     * "sampling.path: what is wrong; what is valid", and returns null when there was any.
     */
    public static SamplingConfig parse(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection root = new ConfigSection("sampling", section, problems);
        root.rejectUnknownKeys(KEYS, "keys");
        List<PolicyConfig> policies = root.has("policies") ? PolicyFactory.parseList(root, "policies") : DEFAULT_POLICIES;
        Map<String, List<PolicyConfig>> tenants = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigSection> tenant : root.namedSections("tenants").entrySet()) {
            ConfigSection settings = tenant.getValue();
            settings.rejectUnknownKeys(List.of("policies"), "keys for a tenant");
            if (!settings.has("policies")) {
                settings.problem("policies", "missing; list the tenant's policies (they replace the default list)");
                continue;
            }
            List<PolicyConfig> chain = PolicyFactory.parseList(settings, "policies");
            if (chain != null) {
                tenants.put(tenant.getKey(), chain);
            }
        }
        return problems.size() == before ? new SamplingConfig(policies, tenants) : null;
    }
}
