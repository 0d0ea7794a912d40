package io.tracesift.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {
    @ParameterizedTest
    @CsvSource({"0, 0", "300ms, 300000", "1.5s, 1500000", "2m, 120000000", "1h30m, 5400000000", "250us, 250",
            "250µs, 250", "1500ns, 1", ".5s, 500000", "1h0m0.25s, 3600250000"})
    void parsesGoDurationsToMicroseconds(String text, long micros) {
        assertThat(GoDuration.toMicros(text)).isEqualTo(micros);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "1.5", "-1s", "1 s", "1d", "ms", "1s2", "abc", "1e3s"})
    void refusesWhatGoWouldRefuse(String text) {
        assertThatThrownBy(() -> GoDuration.toMicros(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
