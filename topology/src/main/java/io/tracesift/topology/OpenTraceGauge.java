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
    /** The second traces are opening in now and its entry: most openings skip the map's lookup and boxing. */
    private long currentSecond = Long.MIN_VALUE;
    private long[] current;

    /** Forgets everything (before recounting from the store). */
    void clear() {
        bySecond.clear();
        count = 0;
        currentSecond = Long.MIN_VALUE;
        current = null;
    }

    void opened(long firstSeenMs) {
        long second = Math.floorDiv(firstSeenMs, 1000);
        if (second != currentSecond) {
            currentSecond = second;
            current = bySecond.computeIfAbsent(second, s -> new long[1]);
        }
        current[0]++;
        count++;
    }

    void closed(long firstSeenMs) {
        long second = Math.floorDiv(firstSeenMs, 1000);
        long[] n = second == currentSecond ? current : bySecond.get(second);
        if (n != null && --n[0] == 0) {
            bySecond.remove(second);
            if (second == currentSecond) {
                currentSecond = Long.MIN_VALUE;
                current = null;
            }
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
