package io.tracesift.sampling;

/** Keeps (at rate 1) or drops every trace; the usual last rule of a chain, or a whole tenant's chain. */
public final class AlwaysPolicy implements SamplingPolicy {
    public static final String KEEP_REASON = "always-keep";
    public static final String DROP_REASON = "always-drop";

    private final Decision decision;

    public AlwaysPolicy(Decision.Verdict action, String reason) {
        this.decision = Decision.of(action, reason);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        return decision;
    }
}
