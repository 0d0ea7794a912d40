package io.tracesift.sampling;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a trace whose root span, or the whole trace, lasted at least the threshold.
 *
 * <p>The threshold is chosen by the trace's entry span: its root span, or, while the root has not
 * arrived, its earliest-starting span. The most specific override wins: service and operation,
 * then operation alone, then service alone, then the default. Durations come from the producers'
 * span clocks; they are only ever compared with each other, never with the local clock.
 */
public final class LatencyPolicy implements SamplingPolicy {
    public static final String REASON = "slow";
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(2);

    /**
     * A threshold for spans of one service, one operation (span name), or both.
     *
     * @param service   service name, or null for any service
     * @param operation span name, or null for any operation
     */
    public record ThresholdOverride(String service, String operation, Duration threshold) {
        public ThresholdOverride {
            if (service == null && operation == null) {
                throw new IllegalArgumentException("an override names a service, an operation or both");
            }
            Objects.requireNonNull(threshold, "threshold");
        }
    }

    private final long defaultNanos;
    private final Map<String, Long> byServiceAndOperation = new HashMap<>();
    private final Map<String, Long> byOperation = new HashMap<>();
    private final Map<String, Long> byService = new HashMap<>();
    private final Decision keep;

    public LatencyPolicy() {
        this(DEFAULT_THRESHOLD, List.of(), REASON);
    }

    public LatencyPolicy(Duration threshold, List<ThresholdOverride> overrides, String reason) {
        this.defaultNanos = threshold.toNanos();
        for (ThresholdOverride o : overrides) {
            long nanos = o.threshold().toNanos();
            if (o.service() != null && o.operation() != null) {
                byServiceAndOperation.put(key(o.service(), o.operation()), nanos);
            } else if (o.operation() != null) {
                byOperation.put(o.operation(), nanos);
            } else {
                byService.put(o.service(), nanos);
            }
        }
        this.keep = Decision.keep(reason, 1);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        List<SpanView> spans = trace.spans();
        if (spans.isEmpty()) {
            return Decision.NO_MATCH;
        }
        SpanView entry = null;
        long rootNanos = 0;
        for (SpanView span : spans) {
            if (span.isRoot()) {
                rootNanos = Math.max(rootNanos, span.endEpochNanos() - span.startEpochNanos());
                if (entry == null || !entry.isRoot()) {
                    entry = span;
                }
            } else if (entry == null || (!entry.isRoot() && span.startEpochNanos() < entry.startEpochNanos())) {
                entry = span;
            }
        }
        long threshold = thresholdFor(entry);
        return Math.max(rootNanos, trace.durationNanos()) >= threshold ? keep : Decision.NO_MATCH;
    }

    private long thresholdFor(SpanView entry) {
        if (byServiceAndOperation.isEmpty() && byOperation.isEmpty() && byService.isEmpty()) {
            return defaultNanos; // the common case, decided per span at ingest: no lookups, no key to build
        }
        Long nanos = byServiceAndOperation.isEmpty() ? null : byServiceAndOperation.get(key(entry.service(), entry.name()));
        if (nanos == null) {
            nanos = byOperation.get(entry.name());
        }
        if (nanos == null) {
            nanos = byService.get(entry.service());
        }
        return nanos == null ? defaultNanos : nanos;
    }

    private static String key(String service, String operation) {
        // NUL cannot appear in a configured name, so the pair cannot collide with another pair.
        return service + '\u0000' + operation;
    }
}
