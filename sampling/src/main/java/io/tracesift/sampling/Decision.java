package io.tracesift.sampling;

/**
 * The outcome of a policy for one whole trace.
 *
 * @param verdict    keep, drop, or no opinion (composites move on to the next policy)
 * @param reason     short stable rule name, e.g. {@code error}, {@code slow}, {@code probabilistic}
 * @param sampleRate inverse probability with which traces like this one are kept (1 = always); 0 when dropped
 */
public record Decision(Verdict verdict, String reason, long sampleRate) {
    public enum Verdict { KEEP, DROP, NO_MATCH }

    public boolean kept() {
        return verdict == Verdict.KEEP;
    }
}
