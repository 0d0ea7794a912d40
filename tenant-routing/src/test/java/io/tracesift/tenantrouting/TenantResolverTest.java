package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.tenantrouting.TenantResolution.Rejected;
import io.tracesift.tenantrouting.TenantResolution.Resolved;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TenantResolverTest {

    private static TenantResolver resolver(Map<String, Object> section) {
        List<String> problems = new ArrayList<>();
        TenantResolver resolver = TenantResolver.fromConfig(section, problems);
        assertThat(problems).isEmpty();
        return resolver;
    }

    private static Function<String, String> attributes(String tenantId) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("service.name", "checkout");
        if (tenantId != null) {
            attributes.put("tenant.id", tenantId);
        }
        return attributes::get;
    }

    /** "=x" means Resolved(x); anything else is the expected rejection reason. */
    private static void assertOutcome(TenantResolution resolution, String expected) {
        if (expected.startsWith("=")) {
            assertThat(resolution).isEqualTo(new Resolved(new TenantId(expected.substring(1))));
        } else {
            assertThat(resolution).isInstanceOf(Rejected.class);
            assertThat(((Rejected) resolution).reason()).isEqualTo(expected);
        }
    }

    static Stream<Arguments> defaultMode() {
        String longId = "a".repeat(10_240);
        return Stream.of(
                Arguments.of("acme", null, "=acme"),
                Arguments.of(null, "acme", "=acme"),
                Arguments.of("acme", "acme", "=acme"),
                Arguments.of("acme", "globex", "tenant-conflict"),
                Arguments.of(null, null, "missing-tenant"),
                Arguments.of("", null, "invalid-tenant"),
                Arguments.of(" acme", null, "invalid-tenant"),
                Arguments.of("acme ", null, "invalid-tenant"),
                Arguments.of("ACME", "acme", "tenant-conflict"),
                Arguments.of("../acme", null, "invalid-tenant"),
                Arguments.of("*", null, "invalid-tenant"),
                Arguments.of("acme.*", null, "invalid-tenant"),
                Arguments.of("acme|globex", null, "invalid-tenant"),
                Arguments.of("traces.acme", null, "invalid-tenant"),
                Arguments.of("\u0430cme", null, "invalid-tenant"), // Cyrillic 'a'
                Arguments.of(longId, null, "invalid-tenant"),
                Arguments.of("a".repeat(64), null, "=" + "a".repeat(64)),
                Arguments.of("a".repeat(65), null, "invalid-tenant"),
                Arguments.of("-acme", null, "invalid-tenant"),
                Arguments.of("acme", "../acme", "invalid-tenant"),
                Arguments.of(null, "acme\n", "invalid-tenant"));
    }

    @ParameterizedTest(name = "header={0} attribute={1} -> {2}")
    @MethodSource("defaultMode")
    void defaultModeUsesHeaderThenAttributeAndRejectsConflicts(String header, String attribute, String expected) {
        assertOutcome(TenantResolver.defaults().resolve("otlp_spans", header, attributes(attribute)), expected);
    }

    static Stream<Arguments> conflictPolicies() {
        return Stream.of(
                Arguments.of("prefer-header", "acme", "globex", "=acme"),
                Arguments.of("prefer-header", null, "globex", "=globex"),
                Arguments.of("prefer-header", "acme", "../x", "=acme"),
                Arguments.of("prefer-header", "../x", "acme", "invalid-tenant"),
                Arguments.of("prefer-attribute", "acme", "globex", "=globex"),
                Arguments.of("prefer-attribute", "acme", null, "=acme"),
                Arguments.of("prefer-attribute", "*", "globex", "=globex"),
                Arguments.of("prefer-attribute", "acme", "", "invalid-tenant"),
                Arguments.of("reject", "acme", "globex", "tenant-conflict"));
    }

    @ParameterizedTest(name = "{0}: header={1} attribute={2} -> {3}")
    @MethodSource("conflictPolicies")
    void conflictPolicyDecidesBetweenHeaderAndAttribute(String policy, String header, String attribute, String expected) {
        TenantResolver resolver = resolver(Map.of("on-conflict", policy));
        assertOutcome(resolver.resolve("otlp_spans", header, attributes(attribute)), expected);
    }

    static Stream<Arguments> topicMode() {
        return Stream.of(
                Arguments.of("otlp_spans.acme", null, null, "=acme"),
                Arguments.of("otlp_spans.acme", "acme", "acme", "=acme"),
                Arguments.of("otlp_spans.acme", "globex", null, "tenant-conflict"),
                Arguments.of("otlp_spans.acme", null, "globex", "tenant-conflict"),
                Arguments.of("otlp_spans.acme", "", null, "tenant-conflict"),
                Arguments.of("otlp_spans.a.b", null, null, "invalid-tenant"),
                Arguments.of("otlp_spans.", null, null, "invalid-tenant"),
                Arguments.of("otlp_spans", "acme", null, "missing-tenant"));
    }

    @ParameterizedTest(name = "topic={0} header={1} attribute={2} -> {3}")
    @MethodSource("topicMode")
    void topicModeTrustsOnlyTheTopicName(String topic, String header, String attribute, String expected) {
        TenantResolver resolver = resolver(Map.of("source", "topic"));
        assertOutcome(resolver.resolve(topic, header, attributes(attribute)), expected);
    }

    @Test
    void topicModeSubscribesToEveryTopicWithThePrefix() {
        TenantResolver resolver = resolver(Map.of("source", "topic", "topic-prefix", "spans-in."));
        assertThat(resolver.inputTopicPattern()).hasValueSatisfying(pattern -> {
            assertThat(pattern.matcher("spans-in.acme").matches()).isTrue();
            assertThat(pattern.matcher("spans-in.a.b").matches()).isTrue();
            assertThat(pattern.matcher("spansXin.acme").matches()).isFalse();
            assertThat(pattern.matcher("otlp_spans").matches()).isFalse();
        });
        assertThat(TenantResolver.defaults().inputTopicPattern()).isEmpty();
    }

    @Test
    void singleSourceModesIgnoreTheOtherSource() {
        TenantResolver headerOnly = resolver(Map.of("source", "header", "header", "X-Tenant"));
        assertThat(headerOnly.headerName()).isEqualTo("X-Tenant");
        assertOutcome(headerOnly.resolve("otlp_spans", "acme", attributes("globex")), "=acme");
        assertOutcome(headerOnly.resolve("otlp_spans", null, attributes("globex")), "missing-tenant");

        TenantResolver attributeOnly = resolver(Map.of("source", "attribute", "resource-attribute", "org"));
        assertOutcome(attributeOnly.resolve("otlp_spans", "acme", Map.of("org", "globex")::get), "=globex");
        assertOutcome(attributeOnly.resolve("otlp_spans", "acme", attributes("acme")), "missing-tenant");
    }

    @Test
    void defaultTenantFillsOnlyAbsentValuesNeverInvalidOnes() {
        TenantResolver resolver = resolver(Map.of("default-tenant", "shared"));
        assertOutcome(resolver.resolve("otlp_spans", null, attributes(null)), "=shared");
        assertOutcome(resolver.resolve("otlp_spans", "", attributes(null)), "invalid-tenant");
        assertOutcome(resolver.resolve("otlp_spans", "a/b", attributes(null)), "invalid-tenant");
        assertOutcome(resolver.resolve("otlp_spans", "acme", attributes("globex")), "tenant-conflict");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        TenantResolver resolver = resolver(Map.of());
        assertThat(resolver.headerName()).isEqualTo("X-Scope-OrgID");
        assertThat(resolver.resourceAttribute()).isEqualTo("tenant.id");
        assertThat(resolver.source()).isEqualTo(TenantResolver.Source.HEADER_OR_ATTRIBUTE);
        assertThat(resolver.defaultTenant()).isEmpty();
        assertThat(TenantResolver.fromConfig(null, new ArrayList<>())).isNotNull();
    }

    @Test
    void rejectionDetailIsBoundedAndEscaped() {
        TenantResolution resolution = TenantResolver.defaults().resolve("otlp_spans", "x".repeat(10_000) + "\u0430", attributes(null));
        String detail = ((Rejected) resolution).detail();
        assertThat(detail).hasSizeLessThan(200).contains("10001 chars");
        assertThat(TenantResolver.defaults().resolve("otlp_spans", "\u0430cme\n", attributes(null)))
                .extracting(r -> ((Rejected) r).detail()).asString().contains("\\u0430cme\\u000a").doesNotContain("\n");
    }

    @Test
    void everyConfigurationProblemIsListed() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> section = Map.of(
                "source", "dns",
                "header", "",
                "on-conflict", "coin-flip",
                "default-tenant", "Not Valid",
                "topic-prefix", "bad prefix",
                "hedaer", "X-Scope-OrgID");
        assertThat(TenantResolver.fromConfig(section, problems)).isNull();
        assertThat(problems).hasSize(6);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.source:").contains("header-or-attribute", "topic"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.header:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.on-conflict:").contains("prefer-header"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.default-tenant:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.topic-prefix:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.hedaer: unknown key"));
    }
}
