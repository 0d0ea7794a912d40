package io.tracesift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigDurationTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "500ms, PT0.5S",
            "2s, PT2S",
            "1.5s, PT1.5S",
            "0.5ms, PT0.0005S",
            "60m, PT1H",
            "2h, PT2H",
            "7d, PT168H",
            "0s, PT0S",
            "' 30d ', PT720H",
            "106751d, PT2562024H"})
    void readsANumberWithAUnit(String text, Duration expected) {
        assertThat(ConfigDuration.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "2", "s", "2 s", "2 seconds", "-1s", "+1s", "1e3ms", "1.s", ".5s", "2S", "1w", "1h30m",
            "2sec", "106752d", "9999999999999999999ms"})
    void refusesAnythingElse(String text) {
        assertThat(ConfigDuration.parse(text)).isEmpty();
    }
}
