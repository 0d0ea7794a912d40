package io.tracesift.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FreshnessResultTest {
    /** 10 probes; seen: 100..900 ms given out of order; the tenth was not seen within the timeout. */
    private static final FreshnessResult NINE_OF_TEN = new FreshnessResult("/metrics", 10,
            new long[] {900, 100, 800, 200, 700, 300, 600, 400, 500},
            new long[] {850, 50, 750, 150, 650, 250, 550, 350, 450}, 10_000, 2000, 50, 250, 20, 4096);

    @ParameterizedTest(name = "p{0} = {1} ms")
    @CsvSource({
            "50, 500",
            "90, 900",
            "10, 100",
            "0, 100",
            "95, 9223372036854775807",   // the unseen probe is slower than every seen one
            "100, 9223372036854775807"})
    void percentilesAreNearestRankOverEveryProbeSeenOrNot(double percent, long expected) {
        assertThat(NINE_OF_TEN.percentileMillis(percent)).isEqualTo(expected);
        assertThat(NINE_OF_TEN.scrapeStartPercentileMillis(percent))
                .isEqualTo(expected == Long.MAX_VALUE ? expected : expected - 50);
    }

    @ParameterizedTest(name = "p{0} of 200 all seen = {1} ms")
    @CsvSource({"50, 100", "99, 198", "100, 200"})
    void twoHundredProbesSeen(double percent, long expected) {
        long[] millis = new long[200];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = i + 1;
        }
        assertThat(new FreshnessResult("/metrics", 200, millis, millis, 10_000, 0, 0, 0, 0, 0).percentileMillis(percent))
                .isEqualTo(expected);
    }

    @Test
    void refusesMismatchedSightings() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FreshnessResult("/metrics", 2, new long[] {1, 2}, new long[] {1}, 10_000, 0, 0, 0, 0, 0));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FreshnessResult("/metrics", 1, new long[] {1, 2}, new long[] {1, 2}, 10_000, 0, 0, 0, 0, 0));
    }

    @Test
    void countsSeenProbesAndMeanScrapeTime() {
        assertThat(NINE_OF_TEN.seen()).isEqualTo(9);
        assertThat(NINE_OF_TEN.scrapeMillisMean()).isEqualTo(5.0);
    }
}
