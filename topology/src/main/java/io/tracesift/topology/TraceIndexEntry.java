package io.tracesift.topology;

import java.nio.ByteBuffer;

/**
 * The small fixed-size per-trace record in {@link TracesiftTopology#INDEX_STORE}, rewritten per span group
 * instead of the trace itself. Times are arrival (wall-clock) milliseconds, never span clocks.
 *
 * @param firstSeenMs   arrival of the first span group
 * @param rootSeenMs    arrival of the first group holding a root span; -1 while none has arrived
 * @param lastSeenMs    arrival of the latest group
 * @param scheduledMs   the deadline currently registered in the deadline store
 * @param storedSpans   spans stored so far (at most max-spans-per-trace)
 * @param droppedSpans  spans not stored because the trace reached max-spans-per-trace
 * @param nextSeq       sequence number of the next stored group
 * @param storedBytes   payload bytes stored so far
 * @param hasError      whether any stored span has status ERROR or an exception event
 */
public record TraceIndexEntry(long firstSeenMs, long rootSeenMs, long lastSeenMs, long scheduledMs,
                              int storedSpans, int droppedSpans, int nextSeq, long storedBytes, boolean hasError) {
    static final int SIZE = 5 * Long.BYTES + 3 * Integer.BYTES + 1;

    static TraceIndexEntry opened(long nowMs) {
        return new TraceIndexEntry(nowMs, -1, nowMs, Long.MAX_VALUE, 0, 0, 0, 0, false);
    }

    boolean rootSeen() {
        return rootSeenMs >= 0;
    }

    /** When the trace is complete: root + send delay, first + max age, or last + idle timeout, whichever is first. */
    long dueAtMs(TopologySettings settings) {
        long due = firstSeenMs + settings.maxTraceAge().toMillis();
        if (rootSeen()) {
            due = Math.min(due, rootSeenMs + settings.sendDelay().toMillis());
        }
        if (settings.idleTimeout().isPresent()) {
            due = Math.min(due, lastSeenMs + settings.idleTimeout().get().toMillis());
        }
        return due;
    }

    TraceIndexEntry withScheduled(long deadlineMs) {
        return new TraceIndexEntry(firstSeenMs, rootSeenMs, lastSeenMs, deadlineMs, storedSpans, droppedSpans,
                nextSeq, storedBytes, hasError);
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE).putLong(firstSeenMs).putLong(rootSeenMs).putLong(lastSeenMs)
                .putLong(scheduledMs).putInt(storedSpans).putInt(droppedSpans).putInt(nextSeq)
                .putLong(storedBytes).put((byte) (hasError ? 1 : 0)).array();
    }

    public static TraceIndexEntry decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new TraceIndexEntry(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getInt(),
                b.getInt(), b.getLong(), b.get() == 1);
    }
}
