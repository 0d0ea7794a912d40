package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsCostTest {
    /** A run of 1,000,000 spans that took this many CPU microseconds per span until every trace was decided. */
    static PhaseResult run(double cpuMicrosPerSpan) {
        return run(cpuMicrosPerSpan, cpuMicrosPerSpan);
    }

    /** The same, with this much of it spent while the input was read. */
    static PhaseResult run(double whileReading, double untilDecided) {
        return new PhaseResult("run", 1_000_000, 1_000_000, 10, whileReading,
                new PhaseResult.Steady(0, 1_000_000, 10, whileReading, Map.of(), -1), 12, untilDecided - whileReading,
                Double.NaN, -1, 0, 0, ChangelogTraffic.NONE);
    }

    @Test
    void aShareBelowTheCodeAloneIsJudgedByTheCodeAlone() {
        // Medians 15 with metrics and 16.5 without: metrics "cost" -0.1, below what their code costs alone.
        MetricsCost cost = new MetricsCost(List.of(run(15), run(14), run(16)), List.of(run(16.5), run(16), run(17)));
        assertThat(cost.share()).isCloseTo(-0.1, within(1e-12));
        assertThat(cost.judgedShare(0.036)).isEqualTo(0.036);
        assertThat(new MetricsCost(List.of(run(20)), List.of(run(18))).judgedShare(0.036)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void theShareComparesTheMediansUntilDecidedAndEachPairIsShown() {
        // While reading, the runs without metrics did less of their work (their decisions came after): 0.2 by that.
        MetricsCost cost = new MetricsCost(List.of(run(25, 30), run(32, 40), run(25, 32)),
                List.of(run(20, 27), run(26, 36), run(20, 29)));
        // Medians until decided 32 and 29: (32 - 29) / 32.
        assertThat(cost.share()).isCloseTo(3 / 32.0, within(1e-12));
        assertThat(cost.offMedian()).isEqualTo(29);
        assertThat(cost.pairwise()).containsExactly(0.1, 0.1, 3 / 32.0);
        assertThat(cost.describe()).isEqualTo("metrics CPU share = (on - off) / on of the median CPU us/span until every"
                + " trace was decided, of 3 skip-repartition runs each, one of each per round: on 30.00, 40.00, 32.00"
                + " (median 32.00), off 27.00, 36.00, 29.00 (median 29.00), share 0.094, pairwise 0.100, 0.100, 0.094;"
                + " while reading the input (the measure until session 30): on 25.00, 32.00, 25.00 (median 25.00), off"
                + " 20.00, 26.00, 20.00 (median 20.00), share 0.200, pairwise 0.200, 0.188, 0.200");
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheMiddleTwo() {
        assertThat(new MetricsCost(List.of(run(40), run(30)), List.of(run(1), run(2))).offMedian()).isEqualTo(1.5);
        assertThat(new MetricsCost(List.of(run(20), run(30)), List.of(run(20), run(25))).share()).isCloseTo((25 - 22.5) / 25, within(1e-12));
    }

    @Test
    void onAndOffRunsComeInPairs() {
        assertThatThrownBy(() -> new MetricsCost(List.of(run(1)), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsCost(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
