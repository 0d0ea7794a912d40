package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlagRulesTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static FlagRules with(FlagRules rules, String key, String value) {
        FlagRules.Update update = rules.apply(key, value == null ? null : bytes(value));
        assertThat(update.ignoredBecause()).isEmpty();
        return update.rules();
    }

    /** A rollout in progress: off everywhere, on for the core-api phase, exceptions per service and tenant. */
    private static FlagRules rollout() {
        FlagRules rules = FlagRules.of(true);
        rules = with(rules, "*", "false");
        rules = with(rules, "core-api-*", "{\"enable-observability-instrumentation\": true}");
        rules = with(rules, "core-api-billing-*", "false");
        rules = with(rules, "core-api-billing-eu", "true");
        rules = with(rules, "globex/core-api-*", "false");
        rules = with(rules, "acme/core-api-billing-eu", "false");
        rules = with(rules, "acme/payments", "true");
        return rules;
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
            "acme,   checkout,             false",  // '*'
            "acme,   core-api-orders,      true",   // core-api-*
            "acme,   core-api-billing-us,  false",  // longer glob core-api-billing-*
            "globex, core-api-billing-eu,  true",   // exact service beats tenant glob
            "acme,   core-api-billing-eu,  false",  // exact tenant/service beats exact service
            "globex, core-api-orders,      false",  // tenant glob beats global glob
            "acme,   payments,             true",   // exact tenant/service beats '*'
            "globex, payments,             false",
            "acme,   core-api-,            true"})
    void mostSpecificKeyWins(String tenant, String service, boolean expected) {
        assertThat(rollout().enabled(new TenantId(tenant), service)).isEqualTo(expected);
    }

    @Test
    void unknownTenantSeesOnlyTenantlessKeys() {
        assertThat(rollout().enabled(null, "payments")).isFalse();
        assertThat(rollout().enabled(null, "core-api-orders")).isTrue();
    }

    @Test
    void spansWithoutAServiceNameMatchOnlyCatchAllGlobs() {
        assertThat(FlagRules.of(true).enabled(ACME, null)).isTrue();
        assertThat(with(FlagRules.of(true), "checkout", "false").enabled(ACME, null)).isTrue();
        assertThat(rollout().enabled(ACME, null)).isFalse();
    }

    @Test
    void servicesWithoutAFlagGetTheConfiguredDefault() {
        List<String> problems = new ArrayList<>();
        FlagRules off = FlagRules.fromConfig(Map.of("default-enabled", false), problems);
        assertThat(problems).isEmpty();
        assertThat(off.enabled(ACME, "checkout")).isFalse();
        assertThat(with(off, "checkout", "true").enabled(ACME, "checkout")).isTrue();
        assertThat(FlagRules.fromConfig(null, problems).enabled(ACME, "checkout")).isTrue();
        assertThat(FlagRules.fromConfig(null, problems).topic()).isEqualTo("tracesift-flags");
    }

    @Test
    void changesTakeEffectAndTombstonesRestoreTheFallback() {
        FlagRules rules = with(FlagRules.of(true), "checkout", "false");
        assertThat(rules.enabled(ACME, "checkout")).isFalse();
        rules = with(rules, "checkout", "true");
        assertThat(rules.enabled(ACME, "checkout")).isTrue();
        rules = with(rules, "checkout", "false");
        rules = with(rules, "checkout", null);
        assertThat(rules.enabled(ACME, "checkout")).isTrue();
        assertThat(rules.entries()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "", "{\"enable-observability-instrumentation\": \"true\"}", "{\"enabled\": true}",
            "{not json", "[true]", "{\"enable-observability-instrumentation\": null}"})
    void valueThatDoesNotParseIsIgnoredAndChangesNothing(String value) {
        FlagRules before = with(FlagRules.of(true), "checkout", "false");

        FlagRules.Update update = before.apply("checkout", bytes(value));

        assertThat(update.ignoredBecause()).isPresent();
        assertThat(update.rules()).isSameAs(before);
        assertThat(update.rules().enabled(GLOBEX, "checkout")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x/checkout", "ac me/checkout", "acme/", "*/checkout"})
    void keyThatDoesNotParseIsIgnoredAndChangesNothing(String key) {
        FlagRules before = FlagRules.of(true);
        FlagRules.Update update = before.apply(key, bytes("false"));
        assertThat(update.ignoredBecause()).isPresent();
        assertThat(update.rules()).isSameAs(before);
        assertThat(FlagRules.keyProblem(key)).isPresent();
    }

    @Test
    void keysLongerThanTheLimitOrWithTooManyWildcardsAreIgnored() {
        assertThat(FlagRules.keyProblem("s".repeat(513))).isPresent();
        assertThat(FlagRules.keyProblem("*a*a*a*a*a*a*a*a*a")).isPresent();
        assertThat(FlagRules.keyProblem("core-api-*")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "true                                                | true",
            "' FALSE\n'                                          | false",
            "{\"enable-observability-instrumentation\": false}   | false",
            "{\"enable-observability-instrumentation\":true,\"x\":1} | true"})
    void parsesJsonAndPlainValues(String value, boolean expected) {
        assertThat(FlagRules.parseValue(bytes(value))).contains(expected);
    }

    @Test
    void encodedValueParsesBack() {
        assertThat(FlagRules.parseValue(FlagRules.encodeValue(true))).contains(true);
        assertThat(FlagRules.parseValue(FlagRules.encodeValue(false))).contains(false);
        assertThat(new String(FlagRules.encodeValue(true), UTF_8)).isEqualTo("{\"enable-observability-instrumentation\":true}");
    }

    @Test
    void globMetacharactersOtherThanWildcardsAreLiteral() {
        FlagRules rules = with(FlagRules.of(true), "svc.(a|b)+*", "false");
        assertThat(rules.enabled(ACME, "svc.(a|b)+x")).isFalse();
        assertThat(rules.enabled(ACME, "svcXaa")).isTrue();
        rules = with(rules, "job-?", "false");
        assertThat(rules.enabled(ACME, "job-1")).isFalse();
        assertThat(rules.enabled(ACME, "job-12")).isTrue();
    }

    @Test
    void everyConfigurationProblemIsListed() {
        List<String> problems = new ArrayList<>();
        assertThat(FlagRules.fromConfig(Map.of("default-enabled", "maybe", "topic", "", "default", true), problems)).isNull();
        assertThat(problems).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("flags.default-enabled:"))
                .anySatisfy(p -> assertThat(p).startsWith("flags.topic:"))
                .anySatisfy(p -> assertThat(p).startsWith("flags.default: unknown key"));
    }
}
