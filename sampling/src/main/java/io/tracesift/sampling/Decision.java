package io.tracesift.sampling;

/**
 * The outcome of a policy for one whole trace.
 *
 * @param verdict    keep, drop, or no opinion (composites move on to the next policy)
 * @param reason     short stable rule name, e.g. {@code error}, {@code slow}, {@code probabilistic};
 *                   used as a metric label and as the {@code tracesift.sampling.rule} span attribute
 * @param sampleRate inverse probability with which traces like this one are kept (1 = always); 0 when dropped
 */
public record Decision(Verdict verdict, String reason, long sampleRate) {
    public enum Verdict { KEEP, DROP, NO_MATCH }

    /** "This policy has no opinion": composites move on, the engine falls through to {@code default}. */
    public static final Decision NO_MATCH = new Decision(Verdict.NO_MATCH, "", 0);

    public Decision {
        if (verdict == null || reason == null) {
            throw new IllegalArgumentException("verdict and reason are required");
        }
        if (sampleRate < 0) {
            throw new IllegalArgumentException("sampleRate must be >= 0, was " + sampleRate);
        }
    }

    /** Kept with probability 1/{@code sampleRate}. */
    public static Decision keep(String reason, long sampleRate) {
        return new Decision(Verdict.KEEP, reason, sampleRate);
    }

    /** Dropped; the sample rate of a drop is 0 by convention. */
    public static Decision drop(String reason) {
        return new Decision(Verdict.DROP, reason, 0);
    }

    /** What a matching rule decides: keep at rate 1, or drop. */
    public static Decision of(Verdict action, String reason) {
        return switch (action) {
            case KEEP -> keep(reason, 1);
            case DROP -> drop(reason);
            case NO_MATCH -> throw new IllegalArgumentException("a rule's action is KEEP or DROP, not NO_MATCH");
        };
    }

    public boolean kept() {
        return verdict == Verdict.KEEP;
    }

    public boolean matched() {
        return verdict != Verdict.NO_MATCH;
    }
}
