package io.tracesift.sampling;

import java.util.List;
import java.util.Map;

/**
 * Decides one whole trace: the configured policies in order, per tenant overrides first.
 * Built once from the {@code sampling:} section of the configuration.
 */
public final class SamplingEngine {

    /** The defaults: keep errors, keep slow traces (2 s), keep 10 % of the rest deterministically. */
    public static SamplingEngine defaults() {
        throw new UnsupportedOperationException("TODO(sampling)");
    }

    /**
     * Builds the engine from the parsed YAML {@code sampling:} section (may be null or empty: defaults).
     * Every problem is appended to {@code problems} as "sampling.path: what is wrong, what is valid";
     * returns null when there was any.
     */
    public static SamplingEngine fromConfig(Map<String, Object> section, List<String> problems) {
        throw new UnsupportedOperationException("TODO(sampling)");
    }

    public Decision decide(TraceView trace) {
        throw new UnsupportedOperationException("TODO(sampling)");
    }
}
