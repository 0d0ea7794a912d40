package io.tracesift.sampling;

import static io.tracesift.sampling.FixedPolicy.ANY_TRACE;
import static io.tracesift.sampling.FixedPolicy.DROP;
import static io.tracesift.sampling.FixedPolicy.KEEP_1;
import static io.tracesift.sampling.FixedPolicy.KEEP_10;
import static io.tracesift.sampling.FixedPolicy.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.sampling.Decision.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NotPolicyTest {

    static Stream<Arguments> inner() {
        return Stream.of(
                Arguments.of(NONE, Verdict.KEEP, Decision.keep("neg", 1)),
                Arguments.of(NONE, Verdict.DROP, Decision.drop("neg")),
                Arguments.of(KEEP_10, Verdict.KEEP, NONE),
                Arguments.of(DROP, Verdict.KEEP, NONE),
                Arguments.of(KEEP_1, Verdict.DROP, NONE));
    }

    @ParameterizedTest(name = "not {0} with action {1} -> {2}")
    @MethodSource("inner")
    void matchesExactlyTheTracesItsInnerPolicyDoesNot(Decision inner, Verdict action, Decision expected) {
        assertThat(new NotPolicy(new FixedPolicy(inner), action, "neg").evaluate(ANY_TRACE)).isEqualTo(expected);
    }
}
