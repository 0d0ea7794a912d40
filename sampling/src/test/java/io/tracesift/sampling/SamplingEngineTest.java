package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplingEngineTest {

    static Stream<Arguments> defaultChain() {
        return Stream.of(
                Arguments.of("error wins over slow and probabilistic",
                        TestTrace.of(root("api", "GET /", 5000).withStatus(2)).withId(TestTrace.HIGH_ID), Decision.keep("error", 1)),
                Arguments.of("slow wins over probabilistic",
                        TestTrace.of(root("api", "GET /", 2500)).withId(TestTrace.HIGH_ID), Decision.keep("slow", 1)),
                Arguments.of("fast, no error, lucky id",
                        TestTrace.of(root("api", "GET /", 10), child("db", "q", 1, 2)).withId(TestTrace.HIGH_ID),
                        Decision.keep("probabilistic", 10)),
                Arguments.of("fast, no error, unlucky id",
                        TestTrace.of(root("api", "GET /", 10)).withId(TestTrace.LOW_ID), Decision.drop("probabilistic")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultChain")
    void defaultsKeepErrorsThenSlowTracesThenTenPercent(String description, TestTrace trace, Decision expected) {
        assertThat(SamplingEngine.defaults().decide(trace)).isEqualTo(expected);
    }

    @Test
    void dropsWithReasonDefaultWhenNoPolicyMatches() {
        SamplingEngine engine = new SamplingEngine(new FirstMatchPolicy(List.of(new ErrorPolicy())), Map.of(), Map.of());

        assertThat(engine.decide(TestTrace.of(root("api", "GET /", 10)))).isEqualTo(Decision.drop("default"));
    }

    @Test
    void aTenantWithItsOwnChainUsesItInsteadOfTheDefaultChain() {
        SamplingEngine engine = new SamplingEngine(SamplingEngine.defaultChain(), Map.of(),
                Map.of("beta", new FirstMatchPolicy(List.of(new ErrorPolicy()))));
        TestTrace slow = TestTrace.of(root("api", "GET /", 5000));

        assertThat(engine.decide(slow.withTenant("acme"))).isEqualTo(Decision.keep("slow", 1));
        assertThat(engine.decide(slow.withTenant("beta"))).isEqualTo(Decision.drop("default"));
    }

    static Stream<Arguments> overrides() {
        return Stream.of(
                Arguments.of("acme", null, Decision.keep("slow", 1)),
                Arguments.of("acme", "keep-all", Decision.keep("always-keep", 1)),
                Arguments.of("acme", "no-such-override", Decision.keep("slow", 1)),
                Arguments.of("beta", null, Decision.drop("default")),
                Arguments.of("beta", "keep-all", Decision.keep("always-keep", 1)),
                Arguments.of("beta", "errors-only", Decision.drop("default")));
    }

    @ParameterizedTest(name = "tenant {0}, override {1} -> {2}")
    @MethodSource("overrides")
    void aNamedOverrideChosenAtRunTimeWinsOverTheTenantChainAndAnUnknownNameFallsBack(
            String tenant, String override, Decision expected) {
        SamplingPolicy errorsOnly = new FirstMatchPolicy(List.of(new ErrorPolicy()));
        SamplingEngine engine = new SamplingEngine(SamplingEngine.defaultChain(),
                Map.of("keep-all", new AlwaysPolicy(Decision.Verdict.KEEP, "always-keep"), "errors-only", errorsOnly),
                Map.of("beta", errorsOnly));

        assertThat(engine.decide(TestTrace.of(root("api", "GET /", 5000)).withTenant(tenant), override)).isEqualTo(expected);
        assertThat(engine.overrideNames()).containsExactlyInAnyOrder("keep-all", "errors-only");
        assertThat(engine.hasOverride("keep-all")).isTrue();
        assertThat(engine.hasOverride("no-such-override")).isFalse();
    }

    @Test
    void anEmptyOrMissingSectionGivesTheDefaults() {
        List<String> problems = new java.util.ArrayList<>();
        TestTrace slow = TestTrace.of(root("api", "GET /", 5000));

        assertThat(SamplingEngine.fromConfig(null, problems).decide(slow)).isEqualTo(Decision.keep("slow", 1));
        assertThat(SamplingEngine.fromConfig(Map.of(), problems).decide(slow)).isEqualTo(Decision.keep("slow", 1));
        assertThat(problems).isEmpty();
    }
}
