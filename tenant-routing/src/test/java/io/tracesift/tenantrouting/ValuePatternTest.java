package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValuePatternTest {
    private static final String[] PIECES = {
            "4111", "1111", "4111111111111111", "4111 1111 1111 1111", "378282246310005", " ", "-", "--", "0", "9", "Bearer ", "bearer\t", "BEARER ", "eyJ", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "abc", ".", "_",
            "AKIA", "ASIA", "A3TX", "IOSFODNN7EXAMPLE", "Z", "@", "example", ".com", "x", "+", "/", "="};

    /** The pre-checks exist only for speed: on any input where the pattern (and its extra check) matches, they pass. */
    @ParameterizedTest
    @EnumSource(ValuePattern.class)
    void preCheckNeverHidesAMatch(ValuePattern pattern) {
        Random random = new Random(42 + pattern.ordinal());
        int matches = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            int pieces = 1 + random.nextInt(12);
            for (int p = 0; p < pieces; p++) {
                value.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = value.toString();
            boolean found = pattern.pattern().matcher(text).results().anyMatch(m -> pattern.accepts(m.group()));
            if (found) {
                matches++;
                assertThat(ValuePattern.candidates(text) & pattern.bit()).as(text).isNotZero();
            }
        }
        assertThat(matches).as("the generator produces matches for this pattern").isGreaterThan(20);
    }

    @Test
    void ruleNamesAreTheConfigurationNames() {
        assertThat(ValuePattern.values()).extracting(ValuePattern::ruleName)
                .containsExactly("bearer-token", "jwt", "aws-access-key", "credit-card", "email");
    }
}
