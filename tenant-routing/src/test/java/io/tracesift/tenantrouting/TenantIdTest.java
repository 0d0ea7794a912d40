package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "acme", "ACME", "0", "team_7-eu", "a-", "a_"})
    void acceptsTheDocumentedCharacterSet(String value) {
        assertThat(TenantId.isValid(value)).isTrue();
        assertThat(new TenantId(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-a", "_a", "a.b", "a b", "a/b", "../a", "*", "a*", "a?", "a|b", "a$", "a\n",
            "\u0430cme", "acme\u200b", "caf\u00e9", "\uff41cme", "a\u0000"})
    void refusesEverythingElse(String value) {
        assertThat(TenantId.isValid(value)).isFalse();
        assertThatThrownBy(() -> new TenantId(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsTheLengthToSixtyFour() {
        assertThat(TenantId.isValid("a".repeat(64))).isTrue();
        assertThat(TenantId.isValid("a".repeat(65))).isFalse();
        assertThat(TenantId.isValid("a".repeat(10_240))).isFalse();
        assertThat(TenantId.isValid(null)).isFalse();
    }
}
