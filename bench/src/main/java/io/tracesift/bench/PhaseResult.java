package io.tracesift.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one phase measured.
 *
 * @param spans          spans consumed (committed, for Kafka Streams phases) when the clock stopped
 * @param totalSpans     spans in the phase's input
 * @param seconds        wall time from start to the last span consumed (or to the time budget)
 * @param cpuSeconds     CPU time of this JVM over the same interval (all threads; the broker JVM excluded)
 * @param steady         the same from the first spans seen consumed to the end, leaving start-up out
 * @param decidedSeconds for tracesift: wall time until every span's trace was decided; NaN otherwise
 * @param decidedCpuSeconds for tracesift: CPU time of this JVM from the end of {@code seconds} until then: the
 *                          decisions of the input's last send-delay, which {@code cpuSeconds} leaves out; NaN otherwise
 * @param decidedBrokerCpuSeconds the broker's CPU time over the same interval; NaN when not measured
 * @param changelogs     what a Kafka Streams phase wrote to its changelogs until every trace was decided; none otherwise
 */
record PhaseResult(String name, long spans, long totalSpans, double seconds, double cpuSeconds, Steady steady,
                   double decidedSeconds, double decidedCpuSeconds, double decidedBrokerCpuSeconds, long lateSpans,
                   long peakHeapBytes, long peakHeapAfterGcBytes, ChangelogTraffic changelogs) {
    /**
     * The run after start-up: from the first time any spans were seen consumed (for Kafka Streams, committed: after
     * the consumer group formed, internal topics were created and the first commit landed) to the end. A run too
     * short to have done less than half of its spans when progress was first seen has the whole run as its steady
     * part.
     *
     * @param startSeconds wall time from start to the first spans seen consumed
     * @param spans        spans consumed after that
     * @param seconds      wall time after that
     * @param cpuSeconds   CPU time of this JVM after that
     * @param cpuByKind    CPU seconds after that by kind of thread, and the broker's ({@link ThreadCpu#since}); empty
     *                     where /proc cannot be read
     * @param minorFaults  minor page faults of this JVM after that; -1 where /proc cannot be read
     */
    record Steady(double startSeconds, long spans, double seconds, double cpuSeconds, Map<String, Double> cpuByKind,
                  long minorFaults) {
        Steady {
            cpuByKind = Collections.unmodifiableMap(new LinkedHashMap<>(cpuByKind));
        }
    }

    boolean complete() {
        return spans == totalSpans;
    }

    /** Spans per second after start-up: what the ratios compare. */
    double spansPerSecond() {
        return steady.spans() / steady.seconds();
    }

    /** Spans per second over the whole run, start-up included. */
    double wholeRunSpansPerSecond() {
        return spans / seconds;
    }

    double wallMicrosPerSpan() {
        return steady.seconds() * 1e6 / steady.spans();
    }

    double cpuMicrosPerSpan() {
        return steady.cpuSeconds() * 1e6 / steady.spans();
    }

    /** CPU us/span after start-up by kind of thread and the broker's, in {@link ThreadCpu#KINDS} order; empty without /proc. */
    Map<String, Double> cpuMicrosPerSpanByKind() {
        Map<String, Double> perSpan = new LinkedHashMap<>();
        steady.cpuByKind().forEach((kind, seconds) -> perSpan.put(kind, seconds * 1e6 / steady.spans()));
        return perSpan;
    }

    /** Minor page faults of this JVM per span after start-up; NaN where /proc cannot be read. */
    double minorFaultsPerSpan() {
        return steady.minorFaults() < 0 ? Double.NaN : (double) steady.minorFaults() / steady.spans();
    }

    /** CPU per span after start-up until every trace was decided; NaN when not measured. */
    double cpuMicrosPerSpanToDecided() {
        return (steady.cpuSeconds() + decidedCpuSeconds) * 1e6 / steady.spans();
    }

    /** The same with the broker's CPU over that time: all the work of the run; NaN when not measured. */
    double cpuWithBrokerMicrosPerSpanToDecided() {
        Double broker = steady.cpuByKind().get(ThreadCpu.BROKER);
        return broker == null ? Double.NaN
                : (steady.cpuSeconds() + decidedCpuSeconds + broker + decidedBrokerCpuSeconds) * 1e6 / steady.spans();
    }
}
