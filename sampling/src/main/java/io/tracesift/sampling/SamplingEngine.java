package io.tracesift.sampling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides one whole trace: the tenant's own policy chain when it has one, else the default chain,
 * evaluated first-match. A trace no policy matches is dropped with reason {@code default}.
 * Built once from the {@code sampling:} section of the configuration; never reads the clock.
 */
public final class SamplingEngine {
    public static final String DEFAULT_REASON = "default";
    private static final Decision DEFAULT_DROP = Decision.drop(DEFAULT_REASON);

    private final SamplingPolicy defaultChain;
    private final Map<String, SamplingPolicy> tenantChains;

    public SamplingEngine(SamplingPolicy defaultChain, Map<String, SamplingPolicy> tenantChains) {
        this.defaultChain = defaultChain;
        this.tenantChains = Map.copyOf(tenantChains);
    }

    /** The defaults: keep errors, keep slow traces (2 s), keep 10 % of the rest deterministically. */
    public static SamplingEngine defaults() {
        return of(SamplingConfig.defaults());
    }

    /** error, then slow (2 s), then probabilistic (10 %). */
    public static SamplingPolicy defaultChain() {
        return PolicyFactory.chain(SamplingConfig.DEFAULT_POLICIES);
    }

    /** The engine a validated configuration describes. */
    public static SamplingEngine of(SamplingConfig config) {
        Map<String, SamplingPolicy> tenantChains = new HashMap<>();
        config.tenants().forEach((tenant, chain) -> tenantChains.put(tenant, PolicyFactory.chain(chain)));
        return new SamplingEngine(PolicyFactory.chain(config.policies()), tenantChains);
    }

    /**
     * Builds the engine from the parsed YAML {@code sampling:} section (may be null or empty: defaults).
     * Every problem is appended to {@code problems} as "sampling.path: what is wrong, what is valid";
     * returns null when there was any.
     */
    public static SamplingEngine fromConfig(Map<String, Object> section, List<String> problems) {
        SamplingConfig config = SamplingConfig.parse(section, problems);
        return config == null ? null : of(config);
    }

    public Decision decide(TraceView trace) {
        Decision decision = tenantChains.getOrDefault(trace.tenant(), defaultChain).evaluate(trace);
        return decision.matched() ? decision : DEFAULT_DROP;
    }
}
