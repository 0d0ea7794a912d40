package io.tracesift.sampling;

import java.util.Arrays;
import java.util.List;

/** A policy that always answers the same, to test composites in isolation. */
record FixedPolicy(Decision decision) implements SamplingPolicy {
    static final Decision KEEP_1 = Decision.keep("a", 1);
    static final Decision KEEP_10 = Decision.keep("b", 10);
    static final Decision DROP = Decision.drop("c");
    static final Decision NONE = Decision.NO_MATCH;
    static final TestTrace ANY_TRACE = TestTrace.of(TestSpan.root("api", "GET /", 1));

    static List<SamplingPolicy> all(List<Decision> decisions) {
        return decisions.stream().map(d -> (SamplingPolicy) new FixedPolicy(d)).toList();
    }

    @Override
    public Decision evaluate(TraceView trace) {
        return decision;
    }
}
