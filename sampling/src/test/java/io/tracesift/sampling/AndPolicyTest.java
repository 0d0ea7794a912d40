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

class AndPolicyTest {

    static Stream<Arguments> members() {
        return Stream.of(
                Arguments.of(List.of(KEEP_1, KEEP_10), Decision.keep("both", 10)),
                Arguments.of(List.of(KEEP_1), Decision.keep("both", 1)),
                Arguments.of(List.of(KEEP_1, DROP), Decision.drop("both")),
                Arguments.of(List.of(DROP, KEEP_10), Decision.drop("both")),
                Arguments.of(List.of(KEEP_1, NONE), NONE),
                Arguments.of(List.of(DROP, NONE), NONE),
                Arguments.of(List.of(NONE, KEEP_1), NONE));
    }

    @ParameterizedTest(name = "and {0} -> {1}")
    @MethodSource("members")
    void decidesOnlyWhenEveryMemberHasAnOpinionAndKeepsOnlyWhenAllKeep(List<Decision> members, Decision expected) {
        assertThat(new AndPolicy(FixedPolicy.all(members), "both").evaluate(ANY_TRACE)).isEqualTo(expected);
    }
}
