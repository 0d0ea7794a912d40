package io.tracesift.topology;

import java.util.concurrent.atomic.LongAdder;

/** A thread-safe classic histogram of delays, in seconds at exposition. */
public final class DelayHistogram {
    /** Upper bounds in seconds; the last bucket (+Inf) is implicit. */
    public static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumMillis = new LongAdder();

    DelayHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long millis) {
        long ms = Math.max(0, millis);
        int i = 0;
        while (i < BOUNDS.length && ms > BOUNDS[i] * 1000) {
            i++;
        }
        buckets[i].increment();
        sumMillis.add(ms);
    }

    /** Per-bucket (not cumulative) counts, the last for +Inf. */
    public long[] bucketCounts() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return counts;
    }

    public double sumSeconds() {
        return sumMillis.sum() / 1000.0;
    }
}
