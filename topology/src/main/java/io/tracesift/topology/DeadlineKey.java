package io.tracesift.topology;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Key in {@link TracesiftTopology#DEADLINE_STORE}: {@code [due ms:8 big-endian][kind:1][trace key]}, so a
 * range scan from a remembered lower bound up to "now" yields exactly the due entries, oldest first.
 */
record DeadlineKey(long dueMs, Kind kind, byte[] traceKey) {
    enum Kind {
        /** The trace is complete: decide it. */
        DECIDE,
        /** The decision's TTL is over: forget it. */
        FORGET
    }

    byte[] encode() {
        return ByteBuffer.allocate(Long.BYTES + 1 + traceKey.length)
                .putLong(dueMs).put((byte) kind.ordinal()).put(traceKey).array();
    }

    static DeadlineKey decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long due = b.getLong();
        Kind kind = Kind.values()[b.get()];
        return new DeadlineKey(due, kind, Arrays.copyOfRange(bytes, Long.BYTES + 1, bytes.length));
    }

    /** An 8-byte bound: sorts before every key due at {@code ms} and after every key due earlier. */
    static byte[] bound(long ms) {
        return ByteBuffer.allocate(Long.BYTES).putLong(ms).array();
    }
}
