package io.tracesift.sampling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one whole trace: the tenant's own policy chain when it has one, else the default chain,
 * evaluated first-match. A trace no policy matches is dropped with reason {@code default}.
 * Built once from the {@code sampling:} section of the configuration; never reads the clock.
 * Immutable and safe to share between stream threads.
 */
public final class SamplingEngine {
    public static final String DEFAULT_REASON = "default";
    private static final Decision DEFAULT_DROP = Decision.drop(DEFAULT_REASON);

    private final SamplingPolicy defaultChain;
    private final Map<String, SamplingPolicy> overrideChains;
    private final Map<String, SamplingPolicy> tenantChains;

    /**
     * @param overrideChains named chains a tenant registry may choose at run time
     * @param tenantChains   tenant id to the chain that replaces the default chain for it
     */
    public SamplingEngine(SamplingPolicy defaultChain, Map<String, SamplingPolicy> overrideChains,
                          Map<String, SamplingPolicy> tenantChains) {
        this.defaultChain = defaultChain;
        this.overrideChains = Map.copyOf(overrideChains);
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
        Map<String, SamplingPolicy> overrideChains = new HashMap<>();
        config.overrides().forEach((name, chain) -> overrideChains.put(name, PolicyFactory.chain(chain)));
        Map<String, SamplingPolicy> tenantChains = new HashMap<>();
        config.tenants().forEach((tenant, chain) -> tenantChains.put(tenant, PolicyFactory.chain(chain)));
        return new SamplingEngine(PolicyFactory.chain(config.policies()), overrideChains, tenantChains);
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

    /** Decides with the trace's tenant chain, or the default chain. Never returns {@code NO_MATCH}. */
    public Decision decide(TraceView trace) {
        return decide(tenantChains.getOrDefault(trace.tenant(), defaultChain), trace);
    }

    /**
     * Decides with the named override chain (as chosen for the tenant at run time, e.g. by the tenant
     * registry), which wins over the configured tenant chain. A null or unknown name falls back to
     * {@link #decide(TraceView)}; check names with {@link #hasOverride} when they are registered.
     */
    public Decision decide(TraceView trace, String override) {
        SamplingPolicy chain = override == null ? null : overrideChains.get(override);
        return chain == null ? decide(trace) : decide(chain, trace);
    }

    /** True when the configuration defines an override chain with this name. */
    public boolean hasOverride(String name) {
        return overrideChains.containsKey(name);
    }

    public Set<String> overrideNames() {
        return overrideChains.keySet();
    }

    private static Decision decide(SamplingPolicy chain, TraceView trace) {
        Decision decision = chain.evaluate(trace);
        return decision.matched() ? decision : DEFAULT_DROP;
    }
}
