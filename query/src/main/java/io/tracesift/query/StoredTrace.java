package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

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
        return ofSpans(traceIdHex, spans, List.of(IN_PROGRESS));
    }

    /**
     * A complete kept trace from its spans alone: the same figures its summary holds (which folds the same
     * minimum, maximum and counts record by record), without reading the summary.
     */
    static StoredTrace complete(String traceIdHex, ExportTraceServiceRequest spans) {
        return ofSpans(traceIdHex, spans, List.of());
    }

    private static StoredTrace ofSpans(String traceIdHex, ExportTraceServiceRequest spans, List<String> warnings) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int count = 0;
        int errors = 0;
        for (ResourceSpans rs : spans.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    count++;
                    start = Math.min(start, span.getStartTimeUnixNano());
                    end = Math.max(end, Math.max(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()));
                    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
                        errors++;
                    }
                }
            }
        }
        return count == 0 ? new StoredTrace(traceIdHex, 0, 0, 0, 0, spans, warnings)
                : new StoredTrace(traceIdHex, start, Math.max(0, end - start), count, errors, spans, warnings);
    }

    StoredTrace withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new StoredTrace(traceIdHex, startNs, durationNs, spanCount, errorSpans, spans, all);
    }
}
