package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThroughputRoundsTest {
    /** A run of 1,000,000 spans in this many seconds. */
    private static PhaseResult run(String name, double seconds) {
        return new PhaseResult(name, 1_000_000, 1_000_000, seconds, 10,
                new PhaseResult.Steady(0, 1_000_000, seconds, 10, Map.of(), -1), Double.NaN, Double.NaN, Double.NaN, -1, 0, 0,
                ChangelogTraffic.NONE);
    }

    @Test
    void ratiosCompareMediansOfSpansPerSecondAndEveryRunIsListedInRunOrder() {
        ThroughputRounds rounds = new ThroughputRounds(
                List.of(run("a1", 4), run("a2", 5), run("a3", 10)),
                List.of(run("s1", 20), run("s2", 10), run("s3", 12.5)),
                List.of(run("o1", 8), run("o2", 8), run("o3", 8)),
                List.of(run("r1", 40), run("r2", 25), run("r3", 20)));

        // a: 250k, 200k, 100k -> 200k; skipped: 50k, 100k, 80k -> 80k; with repartition: 25k, 40k, 50k -> 40k.
        assertThat(ThroughputRounds.medianSpansPerSecond(rounds.baseline())).isEqualTo(200_000);
        assertThat(ThroughputRounds.medianSpansPerSecond(rounds.skip())).isEqualTo(80_000);
        assertThat(ThroughputRounds.medianSpansPerSecond(rounds.repartition())).isEqualTo(40_000);
        assertThat(rounds.all()).extracting(PhaseResult::name)
                .containsExactly("a1", "s1", "o1", "r1", "a2", "o2", "r2", "s2", "a3", "r3", "s3", "o3");
        assertThat(rounds.metricsCost().on()).isEqualTo(rounds.skip());
        assertThat(rounds.describe()).isEqualTo("c/a and c/b compare median spans/s of 3 rounds: a 250,000 / 200,000 /"
                + " 100,000 (median 200,000), c skipped 50,000 / 100,000 / 80,000 (median 80,000), c with repartition"
                + " 25,000 / 40,000 / 50,000 (median 40,000)");
    }

    @Test
    void overThreeRoundsEveryKindOfTracesiftRunTakesEverySlotOnce() {
        for (ThroughputRounds.Kind kind : ThroughputRounds.Kind.values()) {
            assertThat(IntStream.range(0, 3).map(round -> ThroughputRounds.order(round).indexOf(kind)).boxed())
                    .as("slots of %s in rounds 1-3", kind).containsExactlyInAnyOrder(0, 1, 2);
        }
        assertThat(ThroughputRounds.order(0)).containsExactly(ThroughputRounds.Kind.SKIP,
                ThroughputRounds.Kind.SKIP_NO_METRICS, ThroughputRounds.Kind.REPARTITION);
    }

    @Test
    void everyKindOfRunHasTheSameNumberOfRounds() {
        List<PhaseResult> one = List.of(run("x", 1));
        assertThatThrownBy(() -> new ThroughputRounds(one, one, one, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThroughputRounds(List.of(), List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
