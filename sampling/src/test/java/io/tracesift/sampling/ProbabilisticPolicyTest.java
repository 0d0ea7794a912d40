package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProbabilisticPolicyTest {

    static Stream<Arguments> fixedIds() {
        // R is the last 14 hex digits; T = round((1 - p) * 2^56); keep when R >= T.
        return Stream.of(
                Arguments.of(0.10, "00000000000000000000000000000000", false),
                Arguments.of(0.10, "ffffffffffffffffffe6666666666668", true),   // R = T exactly: (1 - 0.1) * 2^56 in double precision
                Arguments.of(0.10, "ffffffffffffffffffe6666666666667", false),  // R = T - 1
                Arguments.of(0.50, "00000000000000000080000000000000", true),   // R = 2^55 = T
                Arguments.of(0.50, "ffffffffffffffffff7fffffffffffff", false),  // high bits ignored, R = T - 1
                Arguments.of(1.00, "00000000000000000000000000000000", true),
                Arguments.of(0.00, "ffffffffffffffffffffffffffffffff", false));
    }

    @ParameterizedTest(name = "p={0} id={1} -> keep {2}")
    @MethodSource("fixedIds")
    void keepsWhenTheTrailing56BitsReachTheRejectionThreshold(double p, String traceId, boolean kept) {
        Decision decision = new ProbabilisticPolicy(p, "probabilistic").evaluate(TestTrace.of(root("a", "b", 1)).withId(traceId));

        assertThat(decision.kept()).isEqualTo(kept);
        assertThat(decision.reason()).isEqualTo("probabilistic");
    }

    @ParameterizedTest(name = "p={0} -> sample rate {1}")
    @CsvSource({"0.1, 10", "0.5, 2", "1.0, 1", "0.3, 3", "0.001, 1000"})
    void keptTracesCarryTheInverseProbabilityRounded(double p, long rate) {
        Decision decision = new ProbabilisticPolicy(p, "probabilistic").evaluate(TestTrace.of().withId(TestTrace.HIGH_ID));

        assertThat(decision).isEqualTo(Decision.keep("probabilistic", rate));
    }

    @Test
    void droppedTracesHaveSampleRateZero() {
        assertThat(new ProbabilisticPolicy().evaluate(TestTrace.of().withId(TestTrace.LOW_ID)))
                .isEqualTo(Decision.drop("probabilistic"));
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(doubles = {0.01, 0.10, 0.25, 0.50, 0.90})
    void keepsTheConfiguredShareOf100kRandomIdsWithinOnePercentAndDecidesEachIdTheSameTwice(double p) {
        ProbabilisticPolicy first = new ProbabilisticPolicy(p, "probabilistic");
        ProbabilisticPolicy second = new ProbabilisticPolicy(p, "probabilistic");
        SplittableRandom random = new SplittableRandom(42);
        byte[] id = new byte[16];
        int kept = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            random.nextBytes(id);
            TestTrace trace = TestTrace.of().withId(HexFormat.of().formatHex(id));
            Decision decision = first.evaluate(trace);
            assertThat(second.evaluate(trace)).isEqualTo(decision);
            if (decision.kept()) {
                kept++;
            }
        }
        assertThat(kept / (double) n).isCloseTo(p, within(0.01));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4bf92f3577b34da6a3ce929d0e0e473", "4bf92f3577b34da6a3ce929d0e0e47zz"})
    void rejectsTraceIdsThatAreNot32HexCharacters(String traceId) {
        assertThatThrownBy(() -> new ProbabilisticPolicy().evaluate(TestTrace.of().withId(traceId)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.01, Double.NaN})
    void rejectsProbabilitiesOutsideZeroToOne(double p) {
        assertThatThrownBy(() -> new ProbabilisticPolicy(p, "probabilistic")).isInstanceOf(IllegalArgumentException.class);
    }
}
