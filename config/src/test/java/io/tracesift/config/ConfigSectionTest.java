package io.tracesift.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigSectionTest {

    private enum Source { HEADER, HEADER_OR_ATTRIBUTE }

    private final List<String> problems = new ArrayList<>();

    /** The section "s" holding {@code v: value}. */
    private ConfigSection section(Object value) {
        Map<String, Object> values = new HashMap<>();
        values.put("v", value);
        return ConfigSection.of("s", values, problems);
    }

    /** Each getter with a fallback that no good value in the tables equals. */
    private static final Map<String, Function<ConfigSection, Object>> GETTERS = Map.ofEntries(
            Map.entry("text", s -> s.text("v", "fallback")),
            Map.entry("texts", s -> s.texts("v", List.of("fallback"))),
            Map.entry("bool", s -> s.bool("v", false)),
            Map.entry("integer", s -> s.integer("v", -7, 1, 100)),
            Map.entry("whole", s -> s.whole("v", -7)),
            Map.entry("wholeInRange", s -> s.whole("v", -7, -10, 10)),
            Map.entry("number", s -> s.number("v", -7)),
            Map.entry("probability", s -> s.probability("v", 0.5)),
            Map.entry("duration", s -> s.duration("v", Duration.ofDays(99))),
            Map.entry("positiveDuration", s -> s.positiveDuration("v", Duration.ofDays(99))),
            Map.entry("instant", s -> s.instant("v", Instant.EPOCH)),
            Map.entry("choice", s -> s.choice("v", List.of("keep", "drop"), "fallback")),
            Map.entry("enum", s -> s.choice("v", Source.class, Source.HEADER)));

    private static final Map<String, Object> FALLBACKS = Map.ofEntries(
            Map.entry("text", "fallback"), Map.entry("texts", List.of("fallback")), Map.entry("bool", false),
            Map.entry("integer", -7), Map.entry("whole", -7L), Map.entry("wholeInRange", -7L), Map.entry("number", -7.0), Map.entry("probability", 0.5),
            Map.entry("duration", Duration.ofDays(99)), Map.entry("positiveDuration", Duration.ofDays(99)),
            Map.entry("instant", Instant.EPOCH), Map.entry("choice", "fallback"), Map.entry("enum", Source.HEADER));

    static Stream<Arguments> goodValues() {
        return Stream.of(
                arguments("text", "checkout", "checkout"),
                arguments("text", "  padded ", "padded"),
                arguments("text", 42, "42"),
                arguments("texts", List.of("a", "b"), List.of("a", "b")),
                arguments("texts", List.of("a", 1, true), List.of("a", "1", "true")),
                arguments("texts", "a, b ,c", List.of("a", "b", "c")),
                arguments("bool", true, true),
                arguments("bool", "TRUE", true),
                arguments("bool", " true ", true),
                arguments("integer", 1, 1),
                arguments("integer", 100L, 100),
                arguments("integer", " 42 ", 42),
                arguments("integer", 5.0, 5),
                arguments("whole", Long.MAX_VALUE, Long.MAX_VALUE),
                arguments("whole", "-12", -12L),
                arguments("whole", BigInteger.valueOf(3), 3L),
                arguments("wholeInRange", -10, -10L),
                arguments("wholeInRange", "+10", 10L),
                arguments("number", 0.25, 0.25),
                arguments("number", "1e3", 1000.0),
                arguments("number", 3, 3.0),
                arguments("probability", 0, 0.0),
                arguments("probability", 1, 1.0),
                arguments("probability", "0.1", 0.1),
                arguments("duration", "500ms", Duration.ofMillis(500)),
                arguments("duration", "1.5s", Duration.ofMillis(1500)),
                arguments("duration", "0s", Duration.ZERO),
                arguments("duration", "7d", Duration.ofDays(7)),
                arguments("positiveDuration", "60m", Duration.ofHours(1)),
                arguments("instant", "2026-01-01T00:00:00Z", Instant.parse("2026-01-01T00:00:00Z")),
                arguments("choice", "drop", "drop"),
                arguments("enum", "header-or-attribute", Source.HEADER_OR_ATTRIBUTE));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("goodValues")
    void readsGoodValuesWithoutProblems(String getter, Object value, Object expected) {
        assertThat(GETTERS.get(getter).apply(section(value))).isEqualTo(expected);
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getters")
    void readsAnAbsentKeyAsTheFallback(String getter) {
        assertThat(GETTERS.get(getter).apply(ConfigSection.of("s", Map.of(), problems))).isEqualTo(FALLBACKS.get(getter));
        assertThat(GETTERS.get(getter).apply(section(null))).isEqualTo(FALLBACKS.get(getter));
        assertThat(problems).isEmpty();
    }

    static Stream<String> getters() {
        return GETTERS.keySet().stream().sorted();
    }

    static Stream<Arguments> badValues() {
        String durationHelp = "use a number and a unit ms, s, m, h or d, like '500ms', '2s', '1.5s', '60m' or '2h'";
        return Stream.of(
                arguments("text", "", "s.v: expected non-empty text, found ''"),
                arguments("text", "  ", "s.v: expected non-empty text, found '  '"),
                arguments("text", false, "s.v: expected non-empty text, found false "
                        + "(YAML reads yes, no, on and off as booleans: quote the text)"),
                arguments("text", List.of("a"), "s.v: expected non-empty text, found [a]"),
                arguments("texts", Map.of("a", 1), "s.v: expected a list of texts, found {a=1}"),
                arguments("texts", List.of("a", List.of()), "s.v: expected a list of texts, found [a, []]"),
                arguments("bool", "maybe", "s.v: expected true or false, found 'maybe'"),
                arguments("bool", 1, "s.v: expected true or false, found 1"),
                arguments("integer", 0, "s.v: expected a whole number from 1 to 100, found 0"),
                arguments("integer", 101, "s.v: expected a whole number from 1 to 100, found 101"),
                arguments("integer", "ten", "s.v: expected a whole number from 1 to 100, found 'ten'"),
                arguments("integer", 2.5, "s.v: expected a whole number from 1 to 100, found 2.5"),
                arguments("integer", "1e2", "s.v: expected a whole number from 1 to 100, found '1e2'"),
                arguments("integer", 1L << 40, "s.v: expected a whole number from 1 to 100, found 1099511627776"),
                arguments("whole", "9223372036854775808", "s.v: expected a whole number, found '9223372036854775808'"),
                arguments("whole", BigInteger.ONE.shiftLeft(64), "s.v: expected a whole number, found 18446744073709551616"),
                arguments("whole", "1.5", "s.v: expected a whole number, found '1.5'"),
                arguments("wholeInRange", 11, "s.v: expected a whole number from -10 to 10, found 11"),
                arguments("number", "low", "s.v: expected a number, found 'low'"),
                arguments("number", "NaN", "s.v: expected a number, found 'NaN'"),
                arguments("number", true, "s.v: expected a number, found true"),
                arguments("probability", 1.5, "s.v: 1.5 is not a probability; use a number from 0 to 1, like 0.1 for 10 %"),
                arguments("probability", -1, "s.v: -1 is not a probability; use a number from 0 to 1, like 0.1 for 10 %"),
                arguments("probability", "10%", "s.v: '10%' is not a probability; use a number from 0 to 1, like 0.1 for 10 %"),
                arguments("duration", "2 seconds", "s.v: '2 seconds' is not a duration; " + durationHelp),
                arguments("duration", "soon", "s.v: 'soon' is not a duration; " + durationHelp),
                arguments("duration", 2, "s.v: 2 is not a duration; a bare number has no unit; " + durationHelp),
                arguments("duration", "-1s", "s.v: '-1s' is not a duration; " + durationHelp),
                arguments("positiveDuration", "0ms", "s.v: '0ms' must be greater than zero; " + durationHelp),
                arguments("positiveDuration", "2", "s.v: '2' is not a duration; " + durationHelp),
                arguments("instant", "yesterday", "s.v: 'yesterday' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z"),
                arguments("instant", 5, "s.v: 5 is not an ISO-8601 instant such as 2026-01-01T00:00:00Z"),
                arguments("choice", "keepp", "s.v: unknown v 'keepp'; did you mean 'keep'? valid: keep, drop"),
                arguments("choice", "maybe", "s.v: unknown v 'maybe'; valid: keep, drop"),
                arguments("enum", "header_or_attribute", "s.v: unknown v 'header_or_attribute'; "
                        + "did you mean 'header-or-attribute'? valid: header, header-or-attribute"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void reportsABadValueAndReadsTheFallback(String getter, Object value, String problem) {
        assertThat(GETTERS.get(getter).apply(section(value))).isEqualTo(FALLBACKS.get(getter));
        assertThat(problems).containsExactly(problem);
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                arguments("treshold", "s.treshold: unknown key; did you mean 'threshold'? valid keys: type, name, threshold"),
                arguments("colour", "s.colour: unknown key; valid keys: type, name, threshold"),
                arguments("Name", "s.Name: unknown key; did you mean 'name'? valid keys: type, name, threshold"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeys")
    void reportsUnknownKeysWithTheClosestValidOne(String key, String problem) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", "latency");
        values.put(key, "x");
        ConfigSection.of("s", values, problems).rejectUnknownKeys(List.of("type", "name", "threshold"));

        assertThat(problems).containsExactly(problem);
    }

    @Test
    void namesWhatTheValidKeysAreFor() {
        ConfigSection.of("sampling.tenants.acme", Map.of("probability", 1), problems)
                .rejectUnknownKeys(List.of("policies", "override"), "keys for a tenant");

        assertThat(problems).containsExactly(
                "sampling.tenants.acme.probability: unknown key; valid keys for a tenant: policies, override");
    }

    @Test
    void readsASectionThatIsNotAMappingAsEmpty() {
        ConfigSection section = ConfigSection.of("metrics", List.of("a"), problems);

        assertThat(section.keys()).isEmpty();
        assertThat(section.bool("enabled", true)).isTrue();
        assertThat(problems).containsExactly("metrics: expected a mapping, found [a]");
    }

    @Test
    void readsNestedSectionsWithTheirPath() {
        Map<String, Object> values = Map.of("topics", Map.of("partitions", 0), "configs", "x");
        ConfigSection root = ConfigSection.of("tenancy", values, problems);

        ConfigSection topics = root.section("topics");
        assertThat(topics.path()).isEqualTo("tenancy.topics");
        assertThat(topics.integer("partitions", 3, 1, 10)).isEqualTo(3);
        assertThat(root.section("configs").keys()).isEmpty();
        assertThat(root.section("absent").keys()).isEmpty();
        assertThat(problems).containsExactly(
                "tenancy.topics.partitions: expected a whole number from 1 to 10, found 0",
                "tenancy.configs: expected a mapping, found 'x'");
    }

    @Test
    void readsNamedSectionsInFileOrder() {
        Map<String, Object> tenants = new LinkedHashMap<>();
        tenants.put("zeta", Map.of("override", "strict"));
        tenants.put("acme", List.of("error"));
        tenants.put("beta", Map.of());
        Map<String, ConfigSection> sections = ConfigSection.of("sampling", Map.of("tenants", tenants), problems)
                .namedSections("tenants");

        assertThat(sections).containsOnlyKeys("zeta", "beta");
        assertThat(sections.keySet()).containsExactly("zeta", "beta");
        assertThat(sections.get("zeta").text("override", null)).isEqualTo("strict");
        assertThat(sections.get("beta").path()).isEqualTo("sampling.tenants.beta");
        assertThat(problems).containsExactly("sampling.tenants.acme: expected a mapping, found [error]");
    }

    @Test
    void readsListsOfMappingsWithIndexedPaths() {
        Map<String, Object> values = Map.of("policies", List.of(Map.of("type", "error"), "error"), "other", "x");
        ConfigSection root = ConfigSection.of("sampling", values, problems);

        List<ConfigSection> policies = root.list("policies", "write each policy as a mapping such as {type: error}");
        assertThat(policies).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("sampling.policies[0]"));
        assertThat(root.list("other", "hint")).isEmpty();
        assertThat(root.list("absent", "hint")).isEmpty();
        assertThat(problems).containsExactly(
                "sampling.policies[1]: expected a mapping, found 'error'; write each policy as a mapping such as {type: error}",
                "sampling.other: expected a list, found 'x'");
    }

    @Test
    void countsProblemsAndPrefixesThemWithThePath() {
        ConfigSection section = ConfigSection.of("query", Map.of("api-keys", 3), problems);

        section.problem("api-keys", "must be a mapping of API key to tenant id");
        section.problem("give at least one key");

        assertThat(section.problemCount()).isEqualTo(2);
        assertThat(section.has("api-keys")).isTrue();
        assertThat(section.has("absent")).isFalse();
        assertThat(section.raw("api-keys")).isEqualTo(3);
        assertThat(section.at("api-keys")).isEqualTo("query.api-keys");
        assertThat(problems).containsExactly("query.api-keys: must be a mapping of API key to tenant id",
                "query: give at least one key");
    }
}
