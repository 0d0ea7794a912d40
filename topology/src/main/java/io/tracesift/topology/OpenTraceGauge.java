package io.tracesift.topology;

import java.util.Map;
import java.util.TreeMap;

/**
 * One assembly task's open traces, kept exact incrementally: counted once from the index store when the task
 * starts, then +1 when a trace opens and -1 when it is decided. The oldest trace's first arrival comes from
 * counts per second of first arrival, so the heap holds at most one entry per second of max-trace-age, not one
 * per trace. Not thread-safe (one per task).
 */
final class OpenTraceGauge {
    private final TreeMap<Long, long[]> bySecond = new TreeMap<>();
    private long count;

    /** Forgets everything (before recounting from the store). */
    void clear() {
        bySecond.clear();
        count = 0;
    }

    void opened(long firstSeenMs) {
        bySecond.computeIfAbsent(Math.floorDiv(firstSeenMs, 1000), s -> new long[1])[0]++;
        count++;
    }

    void closed(long firstSeenMs) {
        Long second = Math.floorDiv(firstSeenMs, 1000);
        long[] n = bySecond.get(second);
        if (n != null && --n[0] == 0) {
            bySecond.remove(second);
        }
        count--;
    }

    long count() {
        return count;
    }

    /** The start of the second in which the oldest open trace first arrived; 0 when none is open. */
    long oldestFirstSeenMs() {
        Map.Entry<Long, long[]> oldest = bySecond.firstEntry();
        return oldest == null ? 0 : oldest.getKey() * 1000;
    }
}
