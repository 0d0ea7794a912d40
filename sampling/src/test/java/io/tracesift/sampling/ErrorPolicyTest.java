package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorPolicyTest {

    static Stream<Arguments> traces() {
        return Stream.of(
                Arguments.of("root with status ERROR", TestTrace.of(root("api", "GET /", 10).withStatus(2)), true),
                Arguments.of("last child with status ERROR",
                        TestTrace.of(root("api", "GET /", 10), child("db", "q", 1, 1), child("db", "q", 2, 1).withStatus(2)), true),
                Arguments.of("exception event with status UNSET",
                        TestTrace.of(root("api", "GET /", 10), child("db", "q", 1, 1).withExceptionEvent()), true),
                Arguments.of("status OK everywhere", TestTrace.of(root("api", "GET /", 10).withStatus(1), child("db", "q", 1, 1)), false),
                Arguments.of("status UNSET everywhere", TestTrace.of(root("api", "GET /", 10)), false),
                Arguments.of("no spans", TestTrace.of(), false));
    }

    @ParameterizedTest(name = "{0} -> keep {2}")
    @MethodSource("traces")
    void keepsEveryTraceWithAnErrorAndHasNoOpinionOtherwise(String description, TestTrace trace, boolean kept) {
        Decision decision = new ErrorPolicy().evaluate(trace);

        assertThat(decision).isEqualTo(kept ? Decision.keep("error", 1) : Decision.NO_MATCH);
    }
}
