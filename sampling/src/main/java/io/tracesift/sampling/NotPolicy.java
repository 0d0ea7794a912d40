package io.tracesift.sampling;

import java.util.Objects;

/**
 * Matches the traces its inner policy has no opinion on: gives its action (keep or drop) when the
 * inner policy does not match, and no opinion when it does. Useful as a condition inside {@link AndPolicy}.
 */
public final class NotPolicy implements SamplingPolicy {
    public static final String REASON = "not";

    private final SamplingPolicy inner;
    private final Decision decision;

    public NotPolicy(SamplingPolicy inner, Decision.Verdict action, String reason) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.decision = Decision.of(action, reason);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        return inner.evaluate(trace).matched() ? Decision.NO_MATCH : decision;
    }
}
