package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyPolicyTest {

    private static final LatencyPolicy WITH_OVERRIDES = new LatencyPolicy(Duration.ofSeconds(2), List.of(
            new LatencyPolicy.ThresholdOverride("checkout", null, Duration.ofSeconds(5)),
            new LatencyPolicy.ThresholdOverride(null, "GET /health", Duration.ofSeconds(30)),
            new LatencyPolicy.ThresholdOverride("checkout", "POST /pay", Duration.ofMillis(500))), "slow");

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("root exactly at 2 s", TestTrace.of(root("api", "GET /", 2000)), true),
                Arguments.of("root just under 2 s", TestTrace.of(root("api", "GET /", 1999)), false),
                Arguments.of("fast root, child ends after 2 s (whole trace slow)",
                        TestTrace.of(root("api", "GET /", 100), child("worker", "job", 50, 1950)), true),
                Arguments.of("no root yet, children span 3 s", TestTrace.of(child("a", "x", 0, 10), child("b", "y", 2990, 10)), true),
                Arguments.of("no root yet, children span 1 s", TestTrace.of(child("a", "x", 0, 10), child("b", "y", 990, 10)), false),
                Arguments.of("no spans", TestTrace.of(), false));
    }

    @ParameterizedTest(name = "{0} -> keep {2}")
    @MethodSource("defaults")
    void keepsTracesAtOrAboveTwoSecondsByDefault(String description, TestTrace trace, boolean kept) {
        assertThat(new LatencyPolicy().evaluate(trace)).isEqualTo(kept ? Decision.keep("slow", 1) : Decision.NO_MATCH);
    }

    static Stream<Arguments> overrides() {
        return Stream.of(
                Arguments.of("service override raises the bar", root("checkout", "GET /cart", 4000), false),
                Arguments.of("service override reached", root("checkout", "GET /cart", 5000), true),
                Arguments.of("service+operation beats service", root("checkout", "POST /pay", 600), true),
                Arguments.of("service+operation, under", root("checkout", "POST /pay", 400), false),
                Arguments.of("operation alone, any service", root("api", "GET /health", 20_000), false),
                Arguments.of("operation beats service", root("checkout", "GET /health", 20_000), false),
                Arguments.of("other service uses default", root("api", "GET /cart", 2000), true));
    }

    @ParameterizedTest(name = "{0} -> keep {2}")
    @MethodSource("overrides")
    void choosesTheMostSpecificOverrideForTheRootSpan(String description, TestSpan rootSpan, boolean kept) {
        assertThat(WITH_OVERRIDES.evaluate(TestTrace.of(rootSpan)).kept()).isEqualTo(kept);
    }

    @ParameterizedTest(name = "entry {0} lasting {1} ms -> keep {2}")
    @MethodSource("earliestSpan")
    void usesTheEarliestSpanAsEntryWhileTheRootIsMissing(String service, long millis, boolean kept) {
        TestTrace trace = TestTrace.of(child("api", "late", 100, 10), child(service, "GET /cart", 0, millis));

        assertThat(WITH_OVERRIDES.evaluate(trace).kept()).isEqualTo(kept);
    }

    static Stream<Arguments> earliestSpan() {
        return Stream.of(
                Arguments.of("checkout", 4000, false),
                Arguments.of("checkout", 5000, true),
                Arguments.of("api", 2000, true));
    }
}
