package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource({
            "rate, -5",
            "rate, 0",
            "error-rate, -0.1",
            "error-rate, 1.5",
            "slow-rate, 2",
            "long-running-rate, -1",
            "huge-trace-rate, 1.01",
            "time-compression, 0.5",
            "huge-trace-spans, 0",
            "traces, -3",
            "max-spans-per-batch, 0",
            "long-running-duration, 0s",
            "tenants, 'bad tenant'",
    })
    void impossibleSettingsAreRefusedWithAMessageNamingTheSetting(String key, String value) {
        List<String> problems = new ArrayList<>();
        assertThat(GeneratorSettings.fromConfig(Map.of(key, value), problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith("generator." + key + ": ");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("rate", -1);
        section.put("error-rate", 3);
        section.put("tme-compression", 10);
        section.put("long-running-duration", "half an hour");
        List<String> problems = new ArrayList<>();
        assertThat(GeneratorSettings.fromConfig(section, problems)).isNull();
        assertThat(problems).anyMatch(p -> p.startsWith("generator.tme-compression: unknown key"))
                .anyMatch(p -> p.startsWith("generator.long-running-duration: 'half an hour' is not a duration"));
    }

    @Test
    void theConstructorRefusesImpossibleValuesToo() {
        assertThatThrownBy(() -> GeneratorSettings.defaults().withErrorRate(1.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generator.error-rate: 1.2 is outside [0, 1]");
        assertThatThrownBy(() -> GeneratorSettings.defaults().withRate(Double.NaN))
                .hasMessageContaining("generator.rate");
    }

    @Test
    void validConfigurationIsRead() {
        Map<String, Object> section = Map.of("seed", 7, "tenants", List.of("a", "b"), "rate", "100",
                "error-rate", 0.2, "long-running-duration", "45m", "time-compression", 30, "traces", 1000,
                "start-time", "2026-01-01T00:00:00Z");
        List<String> problems = new ArrayList<>();
        GeneratorSettings s = GeneratorSettings.fromConfig(section, problems);
        assertThat(problems).isEmpty();
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.tenants()).containsExactly("a", "b");
        assertThat(s.tracesPerSecond()).isEqualTo(100);
        assertThat(s.errorRate()).isEqualTo(0.2);
        assertThat(s.longRunningDuration()).isEqualTo(Duration.ofMinutes(45));
        assertThat(s.timeCompression()).isEqualTo(30);
        assertThat(s.traceCount()).isEqualTo(1000);
        assertThat(s.startTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(s.slowRate()).isEqualTo(GeneratorSettings.defaults().slowRate());
    }
}
