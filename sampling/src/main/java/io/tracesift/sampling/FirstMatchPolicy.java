package io.tracesift.sampling;

import java.util.List;

/** Asks its policies in order; the first that keeps or drops decides. No opinion when none does. */
public final class FirstMatchPolicy implements SamplingPolicy {
    private final List<SamplingPolicy> policies;

    public FirstMatchPolicy(List<SamplingPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        for (SamplingPolicy policy : policies) {
            Decision decision = policy.evaluate(trace);
            if (decision.matched()) {
                return decision;
            }
        }
        return Decision.NO_MATCH;
    }
}
