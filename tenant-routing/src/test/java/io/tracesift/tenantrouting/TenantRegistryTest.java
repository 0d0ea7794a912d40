package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantRegistryTest {
    private static final TenantId ACME = new TenantId("acme");

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void registersTenantsWithTheirSettings() {
        TenantRegistry registry = TenantRegistry.empty()
                .apply("acme", json("{\"partitions\": 6, \"retention\": \"7d\", \"sampling\": \"strict\"}")).registry()
                .apply("globex", json("{}")).registry();

        assertThat(registry.settings(ACME)).contains(
                new TenantSettings(OptionalInt.of(6), Optional.of(Duration.ofDays(7)), Optional.of("strict")));
        assertThat(registry.settings(new TenantId("globex"))).contains(TenantSettings.DEFAULTS);
        assertThat(registry.tenants()).containsExactlyInAnyOrder(ACME, new TenantId("globex"));
    }

    @Test
    void laterRecordReplacesAndTombstoneUnregisters() {
        TenantRegistry registry = TenantRegistry.empty()
                .apply("acme", json("{\"partitions\": 6}")).registry()
                .apply("acme", json("{\"partitions\": 2}")).registry();
        assertThat(registry.settings(ACME).orElseThrow().partitions()).hasValue(2);

        TenantRegistry removed = registry.apply("acme", null).registry();
        assertThat(removed.contains(ACME)).isFalse();
        assertThat(registry.contains(ACME)).as("the earlier snapshot is unchanged").isTrue();
    }

    @ParameterizedTest(name = "key={0} value={1}")
    @CsvSource(delimiter = '|', value = {
            "acme      | not json                      | not JSON",
            "acme      | [1,2]                         | JSON object",
            "acme      | {\"partitions\": 0}           | partitions",
            "acme      | {\"partitions\": 2.5}         | partitions",
            "acme      | {\"partitions\": \"6\"}       | partitions",
            "acme      | {\"retention\": 7}            | retention",
            "acme      | {\"retention\": \"forever\"}  | retention",
            "acme      | {\"sampling\": \"\"}          | sampling",
            "acme      | {\"partitons\": 6}            | unknown field",
            "../acme   | {}                            | not a valid tenant id",
            "''        | {}                            | not a valid tenant id"})
    void badRecordIsIgnoredWithAReasonAndChangesNothing(String key, String value, String reasonContains) {
        TenantRegistry before = TenantRegistry.empty().apply("acme", json("{\"partitions\": 3}")).registry();

        TenantRegistry.Update update = before.apply(key, json(value));

        assertThat(update.registry()).isSameAs(before);
        assertThat(update.ignoredBecause()).hasValueSatisfying(reason -> assertThat(reason).contains(reasonContains));
        assertThat(before.settings(ACME).orElseThrow().partitions()).hasValue(3);
    }
}
