package io.tracesift.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * A classic histogram: per-bucket counts for fixed upper bounds ({@code le}, inclusive) plus a +Inf bucket,
 * the sum of observations, and the latest exemplar. The bounds travel with the value, so a change of
 * configured buckets never misreads stored counts: new series use the new bounds, and merging two values with
 * different bounds keeps only the bounds both share (where cumulative counts are still exact).
 *
 * <p>Byte form: tag, varint bound count n, n doubles, n+1 varint bucket counts, double sum, then 0, or 1 and
 * the exemplar (16 bytes trace id, 8 bytes span id, double value, varint epoch millis).
 */
public final class HistogramValue implements SeriesValue {
    private static final int MAX_BOUNDS = 1024;
    /** Bounds counted without a branch by {@link #bucketIndex}; longer arrays are searched. */
    static final int COUNTED_BOUNDS = 32;

    /** The bounds of the last decoded value: nearly every value shares them, so decoding reuses the array. */
    private static volatile double[] lastDecodedBounds;

    private final double[] upperBounds;
    private final long[] counts;
    private final double sum;
    private final Exemplar exemplar;

    private HistogramValue(double[] upperBounds, long[] counts, double sum, Exemplar exemplar) {
        this.upperBounds = upperBounds;
        this.counts = counts;
        this.sum = sum;
        this.exemplar = exemplar;
    }

    /**
     * A histogram holding one observation.
     *
     * @param upperBounds finite, strictly increasing bucket bounds, without +Inf; not copied, so pass the
     *                    configuration's array and do not modify it
     * @param exemplar    null for none
     */
    public static HistogramValue single(double[] upperBounds, double value, Exemplar exemplar) {
        long[] counts = new long[upperBounds.length + 1];
        counts[bucketIndex(upperBounds, value)] = 1;
        return new HistogramValue(upperBounds, counts, value, exemplar);
    }

    /** Builds a value from explicit per-bucket counts (the last one is the +Inf bucket). */
    public static HistogramValue of(double[] upperBounds, long[] counts, double sum, Exemplar exemplar) {
        String problem = boundsProblem(upperBounds);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (counts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("need " + (upperBounds.length + 1) + " bucket counts, got " + counts.length);
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("bucket counts must not be negative");
            }
        }
        return new HistogramValue(upperBounds.clone(), counts.clone(), sum, exemplar);
    }

    /** Null when the bounds are usable, else what is wrong with them. */
    public static String boundsProblem(double[] upperBounds) {
        if (upperBounds.length == 0 || upperBounds.length > MAX_BOUNDS) {
            return "between 1 and " + MAX_BOUNDS + " bucket bounds are needed, got " + upperBounds.length;
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i])) {
                return "bucket bounds must be finite (+Inf is implied), got " + upperBounds[i];
            }
            if (i > 0 && upperBounds[i] <= upperBounds[i - 1]) {
                return "bucket bounds must be strictly increasing, got " + upperBounds[i - 1] + " then " + upperBounds[i];
            }
        }
        return null;
    }

    /** Finite upper bounds, without +Inf. */
    public double[] upperBounds() {
        return upperBounds.clone();
    }

    /** Per-bucket (not cumulative) counts; the last one is the +Inf bucket. */
    public long[] bucketCounts() {
        return counts.clone();
    }

    public long count() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    public double sum() {
        return sum;
    }

    /** The latest exemplar, or null. */
    public Exemplar exemplar() {
        return exemplar;
    }

    @Override
    public HistogramValue merge(SeriesValue other) {
        if (!(other instanceof HistogramValue h)) {
            throw new IllegalArgumentException("cannot merge a histogram with " + other.getClass().getSimpleName());
        }
        Exemplar latest = latest(exemplar, h.exemplar);
        if (upperBounds == h.upperBounds || Arrays.equals(upperBounds, h.upperBounds)) {
            long[] merged = counts.clone();
            for (int i = 0; i < merged.length; i++) {
                merged[i] = Math.addExact(merged[i], h.counts[i]);
            }
            return new HistogramValue(upperBounds, merged, sum + h.sum, latest);
        }
        return mergeOnSharedBounds(h, latest);
    }

    /** The newer exemplar of two ({@code newer} wins ties), either may be null. */
    private static Exemplar latest(Exemplar older, Exemplar newer) {
        return newer != null && (older == null || newer.epochMillis() >= older.epochMillis()) ? newer : older;
    }

    /**
     * A running sum of histogram increments, added in place (no copy per increment): adding a, b, c gives the
     * same value as {@code a.merge(b).merge(c)}, and {@code observe(bounds, v, e)} the same as adding
     * {@code single(bounds, v, e)}. For one series between two store writes; not thread-safe.
     */
    static final class Sum {
        private double[] bounds;
        private long[] counts;
        private double sum;
        private Exemplar exemplar;

        /** One observation; the bounds array is not copied (see {@link #single}). */
        void observe(double[] upperBounds, double value, Exemplar e) {
            if (counts == null || bounds != upperBounds && !Arrays.equals(bounds, upperBounds)) {
                add(single(upperBounds, value, e));
                return;
            }
            int i = bucketIndex(bounds, value);
            counts[i] = Math.addExact(counts[i], 1);
            sum += value;
            exemplar = latest(exemplar, e);
        }

        void add(HistogramValue h) {
            if (counts == null) {
                bounds = h.upperBounds;
                counts = h.counts.clone();
                sum = h.sum;
                exemplar = h.exemplar;
            } else if (bounds == h.upperBounds || Arrays.equals(bounds, h.upperBounds)) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = Math.addExact(counts[i], h.counts[i]);
                }
                sum += h.sum;
                exemplar = latest(exemplar, h.exemplar);
            } else {
                HistogramValue merged = value().merge(h);
                bounds = merged.upperBounds;
                counts = merged.counts;
                sum = merged.sum;
                exemplar = merged.exemplar;
            }
        }

        /** The latest exemplar added so far, or null. */
        Exemplar exemplar() {
            return exemplar;
        }

        /** The sum so far; null when nothing was added. */
        HistogramValue value() {
            return counts == null ? null : new HistogramValue(bounds, counts.clone(), sum, exemplar);
        }
    }

    private HistogramValue mergeOnSharedBounds(HistogramValue h, Exemplar latest) {
        double[] shared = Arrays.stream(upperBounds).filter(b -> Arrays.binarySearch(h.upperBounds, b) >= 0).toArray();
        long[] merged = new long[shared.length + 1];
        long previous = 0;
        for (int i = 0; i < shared.length; i++) {
            long cumulative = Math.addExact(cumulativeAt(shared[i]), h.cumulativeAt(shared[i]));
            merged[i] = cumulative - previous;
            previous = cumulative;
        }
        merged[shared.length] = Math.addExact(count(), h.count()) - previous;
        return new HistogramValue(shared, merged, sum + h.sum, latest);
    }

    /** Observations {@code <= bound}, for a bound that is one of this value's bounds. */
    private long cumulativeAt(double bound) {
        long total = 0;
        for (int i = 0; i < upperBounds.length && upperBounds[i] <= bound; i++) {
            total += counts[i];
        }
        return total;
    }

    /**
     * The first bucket whose bound is at or above {@code value}, i.e. the number of bounds below it. Up to
     * {@link #COUNTED_BOUNDS} bounds are counted without a branch: every span's latency lands in a bucket, and the
     * binary search's branches, which the values' spread keeps unpredictable, cost more than the comparisons.
     */
    static int bucketIndex(double[] upperBounds, double value) {
        if (upperBounds.length <= COUNTED_BOUNDS && !Double.isNaN(value)) {
            int below = 0;
            for (double bound : upperBounds) {
                below += bound < value ? 1 : 0;
            }
            return below;
        }
        int i = Arrays.binarySearch(upperBounds, value);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public byte[] toBytes() {
        CompactWriter w = new CompactWriter(16 + 9 * upperBounds.length + 3 * counts.length + 40);
        w.writeByte(TAG_HISTOGRAM).writeVarLong(upperBounds.length);
        for (double b : upperBounds) {
            w.writeDouble(b);
        }
        for (long c : counts) {
            w.writeVarLong(c);
        }
        w.writeDouble(sum);
        if (exemplar == null) {
            w.writeByte(0);
        } else {
            w.writeByte(1);
            exemplar.write(w);
        }
        return w.toByteArray();
    }

    static HistogramValue read(CompactReader r) {
        int n = r.readCount(MAX_BOUNDS, "bucket bound count");
        double[] bounds = new double[n];
        for (int i = 0; i < n; i++) {
            bounds[i] = r.readDouble();
        }
        long[] counts = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            counts[i] = r.readVarLong();
        }
        double sum = r.readDouble();
        int flag = r.readByte();
        Exemplar exemplar = switch (flag) {
            case 0 -> null;
            case 1 -> Exemplar.read(r);
            default -> throw new IllegalArgumentException("bad exemplar flag " + flag);
        };
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("bucket counts must not be negative");
            }
        }
        double[] shared = lastDecodedBounds;
        if (Arrays.equals(bounds, shared)) {
            bounds = shared;
        } else {
            String problem = boundsProblem(bounds);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            lastDecodedBounds = bounds;
        }
        return new HistogramValue(bounds, counts, sum, exemplar);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramValue h && Arrays.equals(upperBounds, h.upperBounds) && Arrays.equals(counts, h.counts)
                && Double.compare(sum, h.sum) == 0 && Objects.equals(exemplar, h.exemplar);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(upperBounds), Arrays.hashCode(counts), sum, exemplar);
    }

    @Override
    public String toString() {
        return "HistogramValue{le=" + Arrays.toString(upperBounds) + ", counts=" + Arrays.toString(counts)
                + ", sum=" + sum + ", exemplar=" + exemplar + "}";
    }
}
