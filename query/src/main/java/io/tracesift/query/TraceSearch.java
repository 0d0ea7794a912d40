package io.tracesift.query;

import java.util.Map;

/**
 * A validated trace search, in the units of Jaeger's API.
 *
 * @param service       null for every service
 * @param operation     null for every operation; otherwise a span of {@code service} must have this name
 * @param tags          every tag must match one span (its attributes, its resource's attributes, or the derived
 *                      {@code error}, {@code span.kind}, {@code otel.status_code}); empty for none
 * @param startUs       earliest trace start, epoch µs (inclusive)
 * @param endUs         latest trace start, epoch µs (inclusive)
 * @param minDurationUs trace duration at least this, µs (0 for no bound)
 * @param maxDurationUs trace duration at most this, µs ({@link Long#MAX_VALUE} for no bound)
 * @param limit         at most this many traces, newest first
 */
public record TraceSearch(String service, String operation, Map<String, String> tags, long startUs, long endUs,
                          long minDurationUs, long maxDurationUs, int limit) {
    public TraceSearch {
        tags = Map.copyOf(tags);
    }

    boolean durationMatches(long durationUs) {
        return durationUs >= minDurationUs && durationUs <= maxDurationUs;
    }
}
