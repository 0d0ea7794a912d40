package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplingConfigTest {

    private static final SamplingEngine EXAMPLE = exampleEngine();

    private static SamplingEngine exampleEngine() {
        List<String> problems = new ArrayList<>();
        SamplingEngine engine = SamplingEngine.fromConfig(
                YamlText.samplingSection(YamlText.resource("sampling-example.yaml")), problems);
        assertThat(problems).isEmpty();
        return engine;
    }

    @Test
    void theReadmeExampleParsesIntoTheDefaultChainAndTwoTenantChains() {
        List<String> problems = new ArrayList<>();
        SamplingConfig config = SamplingConfig.parse(YamlText.samplingSection(YamlText.resource("sampling-example.yaml")), problems);

        assertThat(problems).isEmpty();
        assertThat(config.policies()).extracting(PolicyConfig::type).containsExactly(
                PolicyConfig.Type.ATTRIBUTE, PolicyConfig.Type.ERROR, PolicyConfig.Type.LATENCY,
                PolicyConfig.Type.ATTRIBUTE, PolicyConfig.Type.AND, PolicyConfig.Type.PROBABILISTIC);
        assertThat(config.tenants()).containsOnlyKeys("audit", "quiet", "noisy");
        assertThat(config.overrides()).containsOnlyKeys("strict");
        assertThat(config.tenants().get("quiet")).isEqualTo(config.overrides().get("strict"));
        assertThat(config.tenants().get("audit")).containsExactly(new PolicyConfig.AlwaysConfig("always-keep", Decision.Verdict.KEEP));
    }

    static Stream<Arguments> exampleDecisions() {
        String low = TestTrace.LOW_ID;
        String high = TestTrace.HIGH_ID;
        return Stream.of(
                Arguments.of("a failing health check is still a health check",
                        TestTrace.of(root("api", "GET", 10).withAttribute("http.route", "/healthz").withStatus(2)),
                        Decision.drop("health-check")),
                Arguments.of("error", TestTrace.of(root("api", "GET", 10), child("db", "q", 1, 1).withExceptionEvent()),
                        Decision.keep("error", 1)),
                Arguments.of("slow under the default threshold", TestTrace.of(root("api", "GET", 2000)), Decision.keep("slow", 1)),
                Arguments.of("batch importer override: 30 s is not slow",
                        TestTrace.of(root("batch-importer", "import", 30_000)).withId(low), Decision.drop("probabilistic")),
                Arguments.of("checkout POST /pay override: 600 ms is slow",
                        TestTrace.of(root("checkout", "POST /pay", 600)), Decision.keep("slow", 1)),
                Arguments.of("5xx", TestTrace.of(root("api", "GET", 10).withAttribute("http.response.status_code", 503L)),
                        Decision.keep("server-error", 1)),
                Arguments.of("premium, lucky id", TestTrace.of(root("api", "GET", 10).withResourceAttribute("customer.tier", "gold"))
                        .withId(high), Decision.keep("premium", 2)),
                Arguments.of("premium, unlucky id", TestTrace.of(root("api", "GET", 10).withAttribute("customer.tier", "platinum"))
                        .withId(low), Decision.drop("premium")),
                Arguments.of("the rest, lucky id", TestTrace.of(root("api", "GET", 10)).withId(high), Decision.keep("probabilistic", 10)),
                Arguments.of("tenant audit keeps everything", TestTrace.of(root("api", "GET", 10)).withId(low).withTenant("audit"),
                        Decision.keep("always-keep", 1)),
                Arguments.of("tenant quiet takes the strict override: 5 s is not slow there",
                        TestTrace.of(root("api", "GET", 5000)).withId(high).withTenant("quiet"), Decision.drop("default")),
                Arguments.of("tenant quiet takes the strict override: 10 s is",
                        TestTrace.of(root("api", "GET", 10_000)).withTenant("quiet"), Decision.keep("slow", 1)),
                Arguments.of("tenant noisy: never touched legacy-billing",
                        TestTrace.of(root("api", "GET", 10)).withId(high).withTenant("noisy"), Decision.drop("modern-only")),
                Arguments.of("tenant noisy: touched legacy-billing, lucky id",
                        TestTrace.of(root("api", "GET", 10), child("x", "y", 1, 1).withResourceAttribute("service.name", "legacy-billing"))
                                .withId(high).withTenant("noisy"), Decision.keep("noisy-sample", 100)),
                Arguments.of("tenant noisy: touched legacy-billing, unlucky id",
                        TestTrace.of(root("api", "GET", 10).withResourceAttribute("service.name", "legacy-billing"))
                                .withId(low).withTenant("noisy"), Decision.drop("noisy-sample")));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("exampleDecisions")
    void theReadmeExampleDecidesAsItsCommentsSay(String description, TestTrace trace, Decision expected) {
        assertThat(EXAMPLE.decide(trace)).isEqualTo(expected);
    }

    @Test
    void reportsEveryProblemInTheSectionAtOnce() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> section = YamlText.parse("""
                polices: []
                policies:
                  - type: error
                  - type: latency
                    threshold: 2 seconds
                  - type: latncy
                  - type: probabilistic
                    probability: 1.5
                  - type: attribute
                    key: http.route
                    regex: "[unclosed"
                tenants:
                  acme:
                    policies:
                      - type: always-kep
                  beta: {}
                overrides:
                  strict:
                    policies: [{type: probabilistic, probability: -1}]
                """);

        assertThat(SamplingEngine.fromConfig(section, problems)).isNull();
        assertThat(problems).containsExactly(
                "sampling.polices: unknown key; did you mean 'policies'? valid keys: policies, overrides, tenants",
                "sampling.policies[1].threshold: '2 seconds' is not a duration; use a number and a unit ms, s, m, h or d, "
                        + "like '500ms', '2s', '1.5s', '60m' or '2h'",
                "sampling.policies[2].type: unknown type 'latncy'; did you mean 'latency'? valid: error, latency, probabilistic, "
                        + "attribute, and, not, first-match, always-keep, always-drop",
                "sampling.policies[3].probability: 1.5 is not a probability; use a number from 0 to 1, like 0.1 for 10 %",
                "sampling.policies[4].regex: invalid regular expression '[unclosed': Unclosed character class near index 8; "
                        + "use Java regex syntax",
                "sampling.overrides.strict.policies[0].probability: -1 is not a probability; use a number from 0 to 1, "
                        + "like 0.1 for 10 %",
                "sampling.tenants.acme.policies[0].type: unknown type 'always-kep'; did you mean 'always-keep'? valid: error, "
                        + "latency, probabilistic, attribute, and, not, first-match, always-keep, always-drop",
                "sampling.tenants.beta: give either policies (the tenant's own chain) or override (the name of a chain under "
                        + "sampling.overrides); they replace the default chain for this tenant");
    }

    static Stream<Arguments> sectionShapes() {
        return Stream.of(
                Arguments.of("policies: error", "sampling.policies: expected a list, found 'error'"),
                Arguments.of("policies: []", "sampling.policies: the list is empty; give at least one policy"),
                Arguments.of("tenants: [acme]", "sampling.tenants: expected a mapping, found [acme]"),
                Arguments.of("tenants: {acme: [{type: error}]}", "sampling.tenants.acme: expected a mapping, found [{type=error}]"),
                Arguments.of("tenants: {acme: {policies: [{type: error}], probability: 0.1}}",
                        "sampling.tenants.acme.probability: unknown key; valid keys for a tenant: policies, override"),
                Arguments.of("tenants: {acme: {}}", "sampling.tenants.acme: give either policies (the tenant's own chain) or "
                        + "override (the name of a chain under sampling.overrides); they replace the default chain for this tenant"),
                Arguments.of("{overrides: {strict: {policies: [{type: error}]}}, tenants: {acme: {override: strcit}}}",
                        "sampling.tenants.acme.override: no override named 'strcit' under sampling.overrides; did you mean "
                                + "'strict'? valid: strict"),
                Arguments.of("overrides: {Strict Mode: {policies: [{type: error}]}}", "sampling.overrides.Strict Mode: not a usable "
                        + "override name; use up to 64 lowercase letters, digits and . _ -, like 'strict'"),
                Arguments.of("overrides: {strict: {}}", "sampling.overrides.strict.policies: missing; list the override's policies"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sectionShapes")
    void reportsASectionOfTheWrongShape(String yaml, String problem) {
        List<String> problems = new ArrayList<>();

        assertThat(SamplingConfig.parse(YamlText.parse(yaml), problems)).isNull();
        assertThat(problems).containsExactly(problem);
    }

    @Test
    void withoutPoliciesTheDefaultChainApplies() {
        List<String> problems = new ArrayList<>();

        SamplingConfig config = SamplingConfig.parse(YamlText.parse("tenants: {acme: {policies: [{type: always-drop}]}}"), problems);

        assertThat(problems).isEmpty();
        assertThat(config.policies()).isEqualTo(SamplingConfig.DEFAULT_POLICIES);
    }
}
