package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistogramValueTest {
    static final double[] BOUNDS = {0.1, 1, 10};
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @ParameterizedTest(name = "{0} s lands in bucket {1}")
    @CsvSource({"0, 0", "0.05, 0", "0.1, 0", "0.1000001, 1", "1, 1", "9.99, 2", "10, 2", "10.5, 3", "1e9, 3"})
    void anObservationLandsInTheFirstBucketWhoseBoundIsNotBelowIt(double value, int bucket) {
        HistogramValue h = HistogramValue.single(BOUNDS, value, null);
        long[] expected = new long[4];
        expected[bucket] = 1;
        assertThat(h.bucketCounts()).containsExactly(expected);
        assertThat(h.count()).isEqualTo(1);
        assertThat(h.sum()).isEqualTo(value);
    }

    @Test
    void aRunningSumOfObservationsEqualsMergingSingleValues() {
        Exemplar early = new Exemplar(TRACE, "00f067aa0ba902b7", 0.5, 1000);
        Exemplar late = new Exemplar(TRACE, "b7ad6b7169203331", 20, 2000);
        double[] other = {1, 5};
        HistogramValue.Sum sum = new HistogramValue.Sum();
        sum.observe(BOUNDS, 0.5, early);
        sum.observe(BOUNDS, 20, late);
        sum.observe(BOUNDS, 3, null);
        sum.observe(other, 3, null); // a bounds change keeps the shared bounds, as merge does
        HistogramValue expected = HistogramValue.single(BOUNDS, 0.5, early).merge(HistogramValue.single(BOUNDS, 20, late))
                .merge(HistogramValue.single(BOUNDS, 3, null)).merge(HistogramValue.single(other, 3, null));
        assertThat(sum.value()).isEqualTo(expected);
        assertThat(sum.exemplar()).isEqualTo(late);
        assertThat(expected.upperBounds()).containsExactly(1);
    }

    @Test
    void aValueLandsInTheFirstBucketWhoseBoundIsAtOrAboveItWhetherBoundsAreCountedOrSearched() {
        for (int n : new int[]{1, 14, HistogramValue.COUNTED_BOUNDS, HistogramValue.COUNTED_BOUNDS + 1, 200}) {
            double[] bounds = new double[n];
            for (int i = 0; i < n; i++) {
                bounds[i] = 0.002 * (1L << Math.min(i, 40)) + i;
            }
            assertThat(HistogramValue.bucketIndex(bounds, bounds[0] - 1)).isZero();
            assertThat(HistogramValue.bucketIndex(bounds, Double.NEGATIVE_INFINITY)).isZero();
            assertThat(HistogramValue.bucketIndex(bounds, bounds[n - 1] + 1)).isEqualTo(n);
            assertThat(HistogramValue.bucketIndex(bounds, Double.POSITIVE_INFINITY)).isEqualTo(n);
            assertThat(HistogramValue.bucketIndex(bounds, Double.NaN)).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(HistogramValue.bucketIndex(bounds, bounds[i])).as("at bound %d of %d", i, n).isEqualTo(i);
                assertThat(HistogramValue.bucketIndex(bounds, Math.nextUp(bounds[i]))).isEqualTo(i + 1);
                assertThat(HistogramValue.bucketIndex(bounds, Math.nextDown(bounds[i]))).isEqualTo(i);
            }
        }
    }

    @Test
    void mergingSameBoundsAddsBucketsAndSums() {
        HistogramValue h = HistogramValue.single(BOUNDS, 0.05, null)
                .merge(HistogramValue.single(BOUNDS, 5, null))
                .merge(HistogramValue.single(BOUNDS, 6, null));
        assertThat(h.bucketCounts()).containsExactly(1, 0, 2, 0);
        assertThat(h.sum()).isEqualTo(11.05);
        assertThat(h.count()).isEqualTo(3);
    }

    @Test
    void mergingDifferentBoundsKeepsOnlySharedBoundsWithExactCumulativeCounts() {
        HistogramValue a = HistogramValue.of(new double[]{0.1, 0.5, 1, 10}, new long[]{1, 2, 3, 4, 5}, 20, null);
        HistogramValue b = HistogramValue.of(new double[]{1, 2, 10}, new long[]{7, 1, 1, 1}, 30, null);
        HistogramValue m = a.merge(b);
        assertThat(m.upperBounds()).containsExactly(1, 10);
        // cumulative at 1: a 6 + b 7 = 13; at 10: a 10 + b 9 = 19; total 15 + 10 = 25
        assertThat(m.bucketCounts()).containsExactly(13, 6, 6);
        assertThat(m.count()).isEqualTo(a.count() + b.count());
        assertThat(m.sum()).isEqualTo(50);
    }

    @Test
    void theLatestExemplarWins() {
        Exemplar old = new Exemplar(TRACE, "00f067aa0ba902b7", 0.5, 1000);
        Exemplar recent = new Exemplar(TRACE, "b7ad6b7169203331", 2.0, 2000);
        HistogramValue withOld = HistogramValue.single(BOUNDS, 0.5, old);
        HistogramValue withRecent = HistogramValue.single(BOUNDS, 2.0, recent);
        HistogramValue without = HistogramValue.single(BOUNDS, 3.0, null);
        assertThat(withOld.merge(withRecent).exemplar()).isEqualTo(recent);
        assertThat(withRecent.merge(withOld).exemplar()).isEqualTo(recent);
        assertThat(withRecent.merge(without).exemplar()).isEqualTo(recent);
        assertThat(without.merge(withOld).exemplar()).isEqualTo(old);
    }

    @Test
    void bytesDecodeToTheSameValue() {
        HistogramValue h = HistogramValue.single(BOUNDS, 0.5, new Exemplar(TRACE.toUpperCase(), "00f067aa0ba902b7", 0.5, 1_700_000_000_123L))
                .merge(HistogramValue.single(BOUNDS, 12, null));
        assertThat(SeriesValue.fromBytes(h.toBytes())).isEqualTo(h);
        assertThat(h.exemplar().traceIdHex()).isEqualTo(TRACE);
        HistogramValue plain = HistogramValue.single(BOUNDS, 0.01, null);
        assertThat(SeriesValue.fromBytes(plain.toBytes())).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty | ''",
            "not increasing | 1,1",
            "decreasing | 2,1",
            "infinite | 1,Infinity",
            "not a number | NaN"})
    void unusableBoundsAreReported(String why, String bounds) {
        double[] b = bounds.isEmpty() ? new double[0]
                : java.util.Arrays.stream(bounds.split(",")).mapToDouble(Double::parseDouble).toArray();
        assertThat(HistogramValue.boundsProblem(b)).isNotNull();
        assertThatThrownBy(() -> HistogramValue.of(b, new long[b.length + 1], 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exemplarIdsMustBeHex() {
        assertThat(Exemplar.validIds(TRACE, "00f067aa0ba902b7")).isTrue();
        assertThat(Exemplar.validIds(TRACE, "00f067aa0ba902b")).isFalse();
        assertThat(Exemplar.validIds("zz" + TRACE.substring(2), "00f067aa0ba902b7")).isFalse();
        assertThat(Exemplar.validIds("", "")).isFalse();
        assertThatThrownBy(() -> new Exemplar(TRACE, "nothex", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
