package io.tracesift.sampling;

import static io.tracesift.sampling.FixedPolicy.ANY_TRACE;
import static io.tracesift.sampling.FixedPolicy.DROP;
import static io.tracesift.sampling.FixedPolicy.KEEP_1;
import static io.tracesift.sampling.FixedPolicy.KEEP_10;
import static io.tracesift.sampling.FixedPolicy.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FirstMatchPolicyTest {

    static Stream<Arguments> members() {
        return Stream.of(
                Arguments.of(List.of(NONE, KEEP_10, DROP), KEEP_10),
                Arguments.of(List.of(DROP, KEEP_1), DROP),
                Arguments.of(List.of(NONE, NONE), NONE),
                Arguments.of(List.of(), NONE));
    }

    @ParameterizedTest(name = "first-match {0} -> {1}")
    @MethodSource("members")
    void passesOnTheFirstKeepOrDropUnchanged(List<Decision> members, Decision expected) {
        assertThat(new FirstMatchPolicy(FixedPolicy.all(members)).evaluate(ANY_TRACE)).isEqualTo(expected);
    }
}
