package io.tracesift.bench;

/**
 * What one phase measured.
 *
 * @param spans          spans consumed (committed, for Kafka Streams phases) when the clock stopped
 * @param totalSpans     spans in the phase's input
 * @param seconds        wall time from start to the last span consumed (or to the time budget)
 * @param cpuSeconds     CPU time of this JVM over the same interval (all threads; the broker JVM excluded)
 * @param decidedSeconds for tracesift: wall time until every span's trace was decided; NaN otherwise
 */
record PhaseResult(String name, long spans, long totalSpans, double seconds, double cpuSeconds,
                   double decidedSeconds, long lateSpans, long peakHeapBytes, long peakHeapAfterGcBytes) {
    boolean complete() {
        return spans == totalSpans;
    }

    double spansPerSecond() {
        return spans / seconds;
    }

    double wallMicrosPerSpan() {
        return seconds * 1e6 / spans;
    }

    double cpuMicrosPerSpan() {
        return cpuSeconds * 1e6 / spans;
    }
}
