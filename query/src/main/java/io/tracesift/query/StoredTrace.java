package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.util.List;

/**
 * One trace as a query answers it.
 *
 * @param traceIdHex 32 lowercase hex characters
 * @param startNs    earliest span start (epoch ns)
 * @param durationNs latest span end minus earliest start
 * @param warnings   why the answer may be incomplete (in progress, chunks missing, stale replica); empty if none
 */
public record StoredTrace(String traceIdHex, long startNs, long durationNs, int spanCount, int errorSpans,
                          ExportTraceServiceRequest spans, List<String> warnings) {
    public static final String IN_PROGRESS = "in progress: the trace is still being assembled and not yet decided";
    public static final String STALE = "stale: answered by a standby replica while the owning instance is unavailable";

    public StoredTrace {
        warnings = List.copyOf(warnings);
    }

    static StoredTrace of(String traceIdHex, TraceSummary summary, ExportTraceServiceRequest spans) {
        List<String> warnings = summary.complete() ? List.of()
                : List.of("incomplete: " + summary.chunksSeen() + " of " + summary.chunksExpected()
                + " chunks of this trace have arrived so far");
        return new StoredTrace(traceIdHex, summary.startNs(), summary.durationNs(), summary.spanCount(),
                summary.errorSpans(), spans, warnings);
    }

    /** A trace still being assembled, from the spans the core has so far. */
    public static StoredTrace inProgress(String traceIdHex, ExportTraceServiceRequest spans) {
        RecordFacts facts = RecordFacts.of(spans);
        long start = facts.spanCount() == 0 ? 0 : facts.startNs();
        long duration = facts.spanCount() == 0 ? 0 : Math.max(0, facts.endNs() - facts.startNs());
        return new StoredTrace(traceIdHex, start, duration, facts.spanCount(), facts.errorSpans(), spans,
                List.of(IN_PROGRESS));
    }

    StoredTrace withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new StoredTrace(traceIdHex, startNs, durationNs, spanCount, errorSpans, spans, all);
    }
}
