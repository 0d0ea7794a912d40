package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsCostTest {
    /** A run of 1,000,000 spans that took this many CPU microseconds per span. */
    static PhaseResult run(double cpuMicrosPerSpan) {
        return new PhaseResult("run", 1_000_000, 1_000_000, 10, cpuMicrosPerSpan,
                new PhaseResult.Steady(0, 1_000_000, 10, cpuMicrosPerSpan, Map.of(), -1), Double.NaN, Double.NaN, Double.NaN, -1, 0, 0,
                ChangelogTraffic.NONE);
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
    void theShareComparesTheMediansAndEachPairIsShown() {
        MetricsCost cost = new MetricsCost(List.of(run(30), run(40), run(32)), List.of(run(27), run(36), run(29)));
        // Medians 32 and 29: (32 - 29) / 32.
        assertThat(cost.share()).isCloseTo(3 / 32.0, within(1e-12));
        assertThat(cost.pairwise()).containsExactly(0.1, 0.1, 3 / 32.0);
        assertThat(cost.describe()).isEqualTo("metrics CPU share = (on - off) / on of the median CPU us/span of 3"
                + " skip-repartition runs each, one of each per round: on 30.00, 40.00, 32.00 (median 32.00), off 27.00, 36.00, 29.00 (median 29.00);"
                + " share 0.094, pairwise 0.100, 0.100, 0.094");
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheMiddleTwo() {
        assertThat(MetricsCost.median(List.of(run(40), run(30)))).isEqualTo(35);
        assertThat(new MetricsCost(List.of(run(20), run(30)), List.of(run(20), run(25))).share()).isCloseTo((25 - 22.5) / 25, within(1e-12));
    }

    @Test
    void onAndOffRunsComeInPairs() {
        assertThatThrownBy(() -> new MetricsCost(List.of(run(1)), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsCost(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
