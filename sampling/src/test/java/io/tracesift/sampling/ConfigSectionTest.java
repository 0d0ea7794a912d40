package io.tracesift.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSectionTest {

    private static ConfigSection section(Object value, List<String> problems) {
        Map<String, Object> values = new HashMap<>();
        values.put("v", value);
        return new ConfigSection("sampling", values, problems);
    }

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({"500ms, 500000000", "2s, 2000000000", "1.5s, 1500000000", "60m, 3600000000000",
            "2h, 7200000000000", "0.5ms, 500000"})
    void readsDurationsWithAUnit(String text, long nanos) {
        List<String> problems = new ArrayList<>();

        assertThat(section(text, problems).duration("v", null)).isEqualTo(Duration.ofNanos(nanos));
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2", "2 seconds", "-1s", "0s", "1d", "s", "1e3ms"})
    void reportsDurationsItCannotRead(String text) {
        List<String> problems = new ArrayList<>();

        assertThat(section(text, problems).duration("v", null)).isNull();
        assertThat(problems).singleElement().asString()
                .startsWith("sampling.v: '" + text + "'")
                .contains("like '500ms', '2s'");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "latncy   | ; did you mean 'latency'?",
            "Error    | ; did you mean 'error'?",
            "probabilstic | ; did you mean 'probabilistic'?",
            "regexp   | ;",
            "x        | ;"})
    void suggestsTheClosestNameWithinTwoEdits(String given, String suggestion) {
        assertThat(ConfigSection.didYouMean(given, PolicyConfig.Type.yamlNames())).isEqualTo(suggestion);
    }
}
