package io.tracesift.sampling;

import java.util.List;

/** What a policy may see of one assembled trace. Implemented by the topology over its stored spans. */
public interface TraceView {
    String tenant();

    /** 32 lowercase hex characters. */
    String traceIdHex();

    List<SpanView> spans();

    /** Span timestamps are the producers' clocks: use for durations only, never for completion. */
    default long durationNanos() {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (SpanView s : spans()) {
            min = Math.min(min, s.startEpochNanos());
            max = Math.max(max, s.endEpochNanos());
        }
        return spans().isEmpty() ? 0 : Math.max(0, max - min);
    }
}
