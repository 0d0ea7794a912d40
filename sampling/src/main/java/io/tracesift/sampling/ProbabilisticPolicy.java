package io.tracesift.sampling;

/**
 * Keeps a deterministic share of traces, decided by the trace id alone, so every instance and every
 * replay agrees, and so do OpenTelemetry samplers upstream that use the same rule.
 *
 * <p>The function is OpenTelemetry's consistent probability sampling: the randomness R is the
 * trace id's trailing 7 bytes (the last 14 hex characters, 56 bits, random by W3C Trace Context
 * level 2); the rejection threshold is T = round((1 - p) * 2^56), computed in double precision; a trace is kept when R &gt;= T.
 * Kept traces carry sample rate round(1/p); the others are dropped with the same reason.
 */
public final class ProbabilisticPolicy implements SamplingPolicy {
    public static final String REASON = "probabilistic";
    public static final double DEFAULT_PROBABILITY = 0.10;
    private static final long MAX_RANDOMNESS = 1L << 56;
    private static final int RANDOMNESS_HEX_DIGITS = 14;

    private final long rejectionThreshold;
    private final Decision keep;
    private final Decision drop;

    public ProbabilisticPolicy() {
        this(DEFAULT_PROBABILITY, REASON);
    }

    /** @param probability share of traces kept, in [0, 1] */
    public ProbabilisticPolicy(double probability, String reason) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
        }
        this.rejectionThreshold = Math.round((1 - probability) * MAX_RANDOMNESS);
        this.keep = Decision.keep(reason, probability == 0 ? 0 : Math.round(1 / probability));
        this.drop = Decision.drop(reason);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        return randomness(trace.traceIdHex()) >= rejectionThreshold ? keep : drop;
    }

    /** The trailing 56 bits of a 32-hex-digit trace id, read without allocating. */
    static long randomness(String traceIdHex) {
        int length = traceIdHex.length();
        if (length != 32) {
            throw new IllegalArgumentException("trace id must be 32 hex characters, was " + length);
        }
        long r = 0;
        for (int i = length - RANDOMNESS_HEX_DIGITS; i < length; i++) {
            int digit = Character.digit(traceIdHex.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("trace id is not hex: " + traceIdHex);
            }
            r = (r << 4) | digit;
        }
        return r;
    }
}
