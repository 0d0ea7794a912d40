package io.tracesift.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.sampling.Decision.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlwaysPolicyTest {

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of(Verdict.KEEP, "always-keep", Decision.keep("always-keep", 1)),
                Arguments.of(Verdict.DROP, "always-drop", Decision.drop("always-drop")));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("actions")
    void givesItsActionToEveryTraceEvenAnEmptyOne(Verdict action, String reason, Decision expected) {
        AlwaysPolicy policy = new AlwaysPolicy(action, reason);

        assertThat(policy.evaluate(FixedPolicy.ANY_TRACE)).isEqualTo(expected);
        assertThat(policy.evaluate(TestTrace.of())).isEqualTo(expected);
    }
}
