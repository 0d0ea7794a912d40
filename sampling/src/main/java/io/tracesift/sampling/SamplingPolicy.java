package io.tracesift.sampling;

/** One sampling rule. Pure: no clocks, no I/O; the same trace always gets the same decision. */
public interface SamplingPolicy {
    Decision evaluate(TraceView trace);
}
