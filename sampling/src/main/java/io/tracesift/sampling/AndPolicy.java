package io.tracesift.sampling;

import java.util.List;

/**
 * Decides only when every member has an opinion: no opinion if any member has none; otherwise
 * drop if any member drops, else keep. A kept trace carries the largest member sample rate, which is
 * exact for consistent probabilistic members (they share one random value per trace).
 */
public final class AndPolicy implements SamplingPolicy {
    public static final String REASON = "and";

    private final List<SamplingPolicy> policies;
    private final String reason;
    private final Decision drop;

    public AndPolicy(List<SamplingPolicy> policies, String reason) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("and needs at least one policy");
        }
        this.policies = List.copyOf(policies);
        this.reason = reason;
        this.drop = Decision.drop(reason);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        boolean dropped = false;
        long sampleRate = 1;
        for (SamplingPolicy policy : policies) {
            Decision decision = policy.evaluate(trace);
            switch (decision.verdict()) {
                case NO_MATCH -> {
                    return Decision.NO_MATCH;
                }
                case DROP -> dropped = true;
                case KEEP -> sampleRate = Math.max(sampleRate, decision.sampleRate());
            }
        }
        return dropped ? drop : Decision.keep(reason, sampleRate);
    }
}
