package io.tracesift.sampling;

import io.tracesift.config.ClosestName;
import io.tracesift.config.ConfigSection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated {@code sampling:} section. Every chain is evaluated first-match.
 *
 * @param policies  the default chain; {@link #DEFAULT_POLICIES} when the section does not list any
 * @param overrides named chains, chosen for a tenant by {@code tenants.<id>.override} or at run
 *                  time by the tenant registry's {@code sampling} field
 * @param tenants   tenant id to the chain that replaces the default chain for that tenant
 */
public record SamplingConfig(List<PolicyConfig> policies, Map<String, List<PolicyConfig>> overrides,
                             Map<String, List<PolicyConfig>> tenants) {

    /** error, then slow (2 s), then probabilistic (10 %). */
    public static final List<PolicyConfig> DEFAULT_POLICIES = List.of(
            new PolicyConfig.ErrorConfig(ErrorPolicy.REASON),
            new PolicyConfig.LatencyConfig(LatencyPolicy.REASON, LatencyPolicy.DEFAULT_THRESHOLD, List.of()),
            new PolicyConfig.ProbabilisticConfig(ProbabilisticPolicy.REASON, ProbabilisticPolicy.DEFAULT_PROBABILITY));

    private static final List<String> KEYS = List.of("policies", "overrides", "tenants");
    private static final Pattern OVERRIDE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public SamplingConfig {
        policies = List.copyOf(policies);
        overrides = Map.copyOf(overrides);
        tenants = Map.copyOf(tenants);
    }

    public static SamplingConfig defaults() {
        return new SamplingConfig(DEFAULT_POLICIES, Map.of(), Map.of());
    }

    /**
     * Parses and validates the section (null or empty: the defaults). Appends every problem, as
     * "sampling.path: what is wrong; what is valid", and returns null when there was any.
     */
    public static SamplingConfig parse(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection root = ConfigSection.of("sampling", section, problems);
        root.rejectUnknownKeys(KEYS, "keys");
        List<PolicyConfig> policies = root.has("policies") ? PolicyFactory.parseList(root, "policies") : DEFAULT_POLICIES;

        Map<String, List<PolicyConfig>> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigSection> override : root.namedSections("overrides").entrySet()) {
            ConfigSection settings = override.getValue();
            if (!OVERRIDE_NAME.matcher(override.getKey()).matches()) {
                settings.problem("not a usable override name; use up to 64 lowercase letters, digits and . _ -, like 'strict'");
            }
            settings.rejectUnknownKeys(List.of("policies"), "keys for an override");
            if (!settings.has("policies")) {
                settings.problem("policies", "missing; list the override's policies");
                continue;
            }
            overrides.put(override.getKey(), PolicyFactory.parseList(settings, "policies"));
        }

        Map<String, List<PolicyConfig>> tenants = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigSection> tenant : root.namedSections("tenants").entrySet()) {
            ConfigSection settings = tenant.getValue();
            settings.rejectUnknownKeys(List.of("policies", "override"), "keys for a tenant");
            if (settings.has("policies") == settings.has("override")) {
                settings.problem("give either policies (the tenant's own chain) or override (the name of a chain under "
                        + "sampling.overrides); they replace the default chain for this tenant");
            } else if (settings.has("policies")) {
                tenants.put(tenant.getKey(), PolicyFactory.parseList(settings, "policies"));
            } else {
                String name = settings.text("override", null);
                if (name != null && !overrides.containsKey(name)) {
                    settings.problem("override", "no override named " + ConfigSection.show(name) + " under sampling.overrides"
                            + ClosestName.didYouMean(name, overrides.keySet()) + " valid: " + String.join(", ", overrides.keySet()));
                } else if (name != null) {
                    tenants.put(tenant.getKey(), overrides.get(name));
                }
            }
        }
        return problems.size() == before ? new SamplingConfig(policies, overrides, tenants) : null;
    }
}
