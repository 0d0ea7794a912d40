package io.tracesift.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A remembered decision in {@link TracesiftTopology#DECISION_STORE}, so late spans follow it.
 *
 * @param decidedAtMs wall-clock time of the decision
 * @param kept        whether the trace was kept
 * @param rule        the deciding rule's name
 * @param sampleRate  the inverse keep probability (0 when dropped)
 */
public record DecisionEntry(long decidedAtMs, boolean kept, String rule, long sampleRate) {
    byte[] encode() {
        byte[] r = rule.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + 1 + Long.BYTES + r.length)
                .putLong(decidedAtMs).put((byte) (kept ? 1 : 0)).putLong(sampleRate).put(r).array();
    }

    public static DecisionEntry decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long at = b.getLong();
        boolean kept = b.get() == 1;
        long rate = b.getLong();
        String rule = new String(bytes, b.position(), b.remaining(), StandardCharsets.UTF_8);
        return new DecisionEntry(at, kept, rule, rate);
    }
}
