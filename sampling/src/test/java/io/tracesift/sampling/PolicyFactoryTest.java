package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.config.ConfigSection;
import io.tracesift.sampling.Decision.Verdict;
import io.tracesift.sampling.PolicyConfig.AlwaysConfig;
import io.tracesift.sampling.PolicyConfig.AndConfig;
import io.tracesift.sampling.PolicyConfig.AttributeConfig;
import io.tracesift.sampling.PolicyConfig.ErrorConfig;
import io.tracesift.sampling.PolicyConfig.FirstMatchConfig;
import io.tracesift.sampling.PolicyConfig.LatencyConfig;
import io.tracesift.sampling.PolicyConfig.NotConfig;
import io.tracesift.sampling.PolicyConfig.ProbabilisticConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyFactoryTest {

    private static PolicyConfig parse(String yaml, List<String> problems) {
        return PolicyFactory.parse(ConfigSection.of("sampling.policies[0]", YamlText.parse(yaml), problems));
    }

    static Stream<Arguments> everyType() {
        return Stream.of(
                Arguments.of("type: error", new ErrorConfig("error")),
                Arguments.of("{type: error, name: any-error}", new ErrorConfig("any-error")),
                Arguments.of("type: latency", new LatencyConfig("slow", Duration.ofSeconds(2), List.of())),
                Arguments.of("""
                        type: latency
                        threshold: 1500ms
                        overrides:
                          - {service: checkout, threshold: 5s}
                          - {operation: GET /health, threshold: 1m}
                          - {service: checkout, operation: POST /pay, threshold: 0.5s}
                        """, new LatencyConfig("slow", Duration.ofMillis(1500), List.of(
                        new LatencyPolicy.ThresholdOverride("checkout", null, Duration.ofSeconds(5)),
                        new LatencyPolicy.ThresholdOverride(null, "GET /health", Duration.ofMinutes(1)),
                        new LatencyPolicy.ThresholdOverride("checkout", "POST /pay", Duration.ofMillis(500))))),
                Arguments.of("type: probabilistic", new ProbabilisticConfig("probabilistic", 0.1)),
                Arguments.of("{type: probabilistic, probability: 0.25}", new ProbabilisticConfig("probabilistic", 0.25)),
                Arguments.of("{type: probabilistic, probability: 1}", new ProbabilisticConfig("probabilistic", 1.0)),
                Arguments.of("{type: attribute, key: http.route, equals: /healthz, action: drop}",
                        new AttributeConfig("attribute", "http.route", AttributePolicy.EqualTo.of(List.of("/healthz")), Verdict.DROP)),
                Arguments.of("{type: attribute, name: vip, key: tier, equals: [gold, 7, true]}",
                        new AttributeConfig("vip", "tier", AttributePolicy.EqualTo.of(List.of("gold", 7L, true)), Verdict.KEEP)),
                Arguments.of("{type: attribute, key: tier, regex: '^g.*d$'}",
                        new AttributeConfig("attribute", "tier", new AttributePolicy.Regex(Pattern.compile("^g.*d$")), Verdict.KEEP)),
                Arguments.of("{type: attribute, key: code, range: {min: 500}}",
                        new AttributeConfig("attribute", "code", new AttributePolicy.Range(500, Double.POSITIVE_INFINITY), Verdict.KEEP)),
                Arguments.of("{type: and, policies: [{type: error}, {type: probabilistic, probability: 0.5}]}",
                        new AndConfig("and", List.of(new ErrorConfig("error"), new ProbabilisticConfig("probabilistic", 0.5)))),
                Arguments.of("{type: not, name: no-error, action: drop, policy: {type: error}}",
                        new NotConfig("no-error", new ErrorConfig("error"), Verdict.DROP)),
                Arguments.of("{type: first-match, policies: [{type: error}, {type: always-drop}]}",
                        new FirstMatchConfig(List.of(new ErrorConfig("error"), new AlwaysConfig("always-drop", Verdict.DROP)))),
                Arguments.of("type: always-keep", new AlwaysConfig("always-keep", Verdict.KEEP)),
                Arguments.of("{type: always-drop, name: disabled}", new AlwaysConfig("disabled", Verdict.DROP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void parsesEveryTypeWithItsDefaults(String yaml, PolicyConfig expected) {
        List<String> problems = new ArrayList<>();

        assertThat(parse(yaml, problems)).isEqualTo(expected);
        assertThat(problems).isEmpty();
    }

    @Test
    void theTableCoversEveryType() {
        EnumSet<PolicyConfig.Type> covered = EnumSet.noneOf(PolicyConfig.Type.class);
        everyType().forEach(arguments -> covered.add(((PolicyConfig) arguments.get()[1]).type()));

        assertThat(covered).containsExactlyInAnyOrder(PolicyConfig.Type.values());
    }

    static Stream<Arguments> builtPolicies() {
        TestTrace fastOk = TestTrace.of(root("api", "GET /", 10)).withId(TestTrace.HIGH_ID);
        TestTrace error = TestTrace.of(root("api", "GET /", 10), child("db", "q", 1, 1).withStatus(2));
        TestTrace vip = TestTrace.of(root("api", "GET /", 10).withAttribute("tier", "gold")).withId(TestTrace.HIGH_ID);
        return Stream.of(
                Arguments.of(new ErrorConfig("e"), error, Decision.keep("e", 1)),
                Arguments.of(new ErrorConfig("e"), fastOk, Decision.NO_MATCH),
                Arguments.of(new LatencyConfig("s", Duration.ofMillis(10), List.of()), fastOk, Decision.keep("s", 1)),
                Arguments.of(new ProbabilisticConfig("p", 0.2), fastOk, Decision.keep("p", 5)),
                Arguments.of(new AttributeConfig("v", "tier", AttributePolicy.EqualTo.of(List.of("gold")), Verdict.KEEP), vip,
                        Decision.keep("v", 1)),
                Arguments.of(new AndConfig("a", List.of(
                        new AttributeConfig("v", "tier", AttributePolicy.EqualTo.of(List.of("gold")), Verdict.KEEP),
                        new ProbabilisticConfig("p", 0.5))), vip, Decision.keep("a", 2)),
                Arguments.of(new NotConfig("n", new ErrorConfig("e"), Verdict.DROP), fastOk, Decision.drop("n")),
                Arguments.of(new FirstMatchConfig(List.of(new ErrorConfig("e"), new AlwaysConfig("k", Verdict.KEEP))), fastOk,
                        Decision.keep("k", 1)),
                Arguments.of(new AlwaysConfig("d", Verdict.DROP), error, Decision.drop("d")));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("builtPolicies")
    void buildsThePolicyEachRecordDescribes(PolicyConfig config, TestTrace trace, Decision expected) {
        assertThat(PolicyFactory.build(config).evaluate(trace)).isEqualTo(expected);
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("name: x", "sampling.policies[0].type: missing; valid: error, latency, probabilistic, attribute, "
                        + "and, not, first-match, always-keep, always-drop"),
                Arguments.of("type: latncy", "sampling.policies[0].type: unknown type 'latncy'; did you mean 'latency'? valid: "
                        + "error, latency, probabilistic, attribute, and, not, first-match, always-keep, always-drop"),
                Arguments.of("{type: latency, treshold: 2s}", "sampling.policies[0].treshold: unknown key; did you mean "
                        + "'threshold'? valid keys for type latency: type, name, threshold, overrides"),
                Arguments.of("{type: latency, threshold: 2}", "sampling.policies[0].threshold: 2 is not a duration; a bare number "
                        + "has no unit; use a number and a unit ms, s, m, h or d, like '500ms', '2s', '1.5s', '60m' or '2h'"),
                Arguments.of("{type: latency, overrides: [{threshold: 1s}]}",
                        "sampling.policies[0].overrides[0]: name a service, an operation (span name) or both"),
                Arguments.of("{type: latency, overrides: [{service: a}]}",
                        "sampling.policies[0].overrides[0].threshold: missing; give a duration like '500ms' or '5s'"),
                Arguments.of("{type: probabilistic, probability: 1.5}",
                        "sampling.policies[0].probability: 1.5 is not a probability; use a number from 0 to 1, like 0.1 for 10 %"),
                Arguments.of("{type: probabilistic, probability: 10%}",
                        "sampling.policies[0].probability: '10%' is not a probability; use a number from 0 to 1, like 0.1 for 10 %"),
                Arguments.of("{type: error, name: Checkout Errors}", "sampling.policies[0].name: 'Checkout Errors' is not a usable "
                        + "reason; use up to 64 lowercase letters, digits and . _ / -, like 'checkout-errors'"),
                Arguments.of("{type: attribute, key: a, regex: '(unclosed'}",
                        "sampling.policies[0].regex: invalid regular expression '(unclosed': Unclosed group near index 9; "
                                + "use Java regex syntax"),
                Arguments.of("{type: attribute, equals: x}",
                        "sampling.policies[0].key: missing; give the attribute key to match, like 'http.route'"),
                Arguments.of("{type: attribute, key: a}",
                        "sampling.policies[0]: an attribute policy needs one of equals, regex or range"),
                Arguments.of("{type: attribute, key: a, equals: x, regex: y}",
                        "sampling.policies[0]: an attribute policy takes only one of equals, regex or range; found equals, regex"),
                Arguments.of("{type: attribute, key: a, equals: []}",
                        "sampling.policies[0].equals: the list is empty; give one value or a list of values"),
                Arguments.of("{type: attribute, key: a, range: {min: 600, max: 500}}",
                        "sampling.policies[0].range: min 600.0 is greater than max 500.0; swap them"),
                Arguments.of("{type: attribute, key: a, range: {}}",
                        "sampling.policies[0].range: give min, max or both, like {min: 500, max: 599}"),
                Arguments.of("{type: attribute, key: a, range: {min: low}}",
                        "sampling.policies[0].range.min: expected a number, found 'low'"),
                Arguments.of("{type: attribute, key: a, equals: b, action: keepp}",
                        "sampling.policies[0].action: unknown action 'keepp'; did you mean 'keep'? valid: keep, drop"),
                Arguments.of("type: and", "sampling.policies[0].policies: missing; list the member policies"),
                Arguments.of("{type: and, policies: []}", "sampling.policies[0].policies: the list is empty; give at least one policy"),
                Arguments.of("{type: and, policies: [error]}", "sampling.policies[0].policies[0]: expected a mapping, found 'error'; "
                        + "write each policy as a mapping such as {type: error}"),
                Arguments.of("{type: and, policies: [{type: eror}]}", "sampling.policies[0].policies[0].type: unknown type 'eror'; "
                        + "did you mean 'error'? valid: error, latency, probabilistic, attribute, and, not, first-match, "
                        + "always-keep, always-drop"),
                Arguments.of("type: not", "sampling.policies[0].policy: missing; give the policy to negate as a mapping, "
                        + "like {type: error}"),
                Arguments.of("{type: always-drop, name: off}", "sampling.policies[0].name: expected non-empty text, found false "
                        + "(YAML reads yes, no, on and off as booleans: quote the text)"),
                Arguments.of("{type: first-match, name: x, policies: [{type: error}]}", "sampling.policies[0].name: unknown key; "
                        + "valid keys for type first-match: type, policies"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void reportsWhatIsWrongAndWhatIsValid(String yaml, String problem) {
        List<String> problems = new ArrayList<>();

        assertThat(parse(yaml, problems)).isNull();
        assertThat(problems).containsExactly(problem);
    }
}
