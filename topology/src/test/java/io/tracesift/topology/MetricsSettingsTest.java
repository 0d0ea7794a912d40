package io.tracesift.topology;

import io.tracesift.aggregation.MetricsConfig;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsSettingsTest {
    private static TopologySettings parse(Object metrics, List<String> problems) {
        return TopologySettings.fromConfig(Map.of("metrics", metrics), problems);
    }

    @Test
    void defaultsAreOnWithAggregationsDefaults() {
        TopologySettings settings = TopologySettings.fromConfig(Map.of(), new ArrayList<>());
        assertThat(settings.metrics().enabled()).isTrue();
        assertThat(settings.metrics().config()).isEqualTo(MetricsConfig.defaults());
    }

    @Test
    void passesTheRestOfTheSectionToAggregation() {
        List<String> problems = new ArrayList<>();
        TopologySettings settings = parse(Map.of("enabled", true, "cardinality_limit", 10,
                "dimensions", List.of("gen_ai.agent.name")), problems);
        assertThat(problems).isEmpty();
        assertThat(settings.metrics().config().cardinalityLimit()).isEqualTo(10);
        assertThat(settings.metrics().config().dimensions()).hasSize(1);
    }

    @Test
    void canBeSwitchedOff() {
        List<String> problems = new ArrayList<>();
        TopologySettings settings = parse(Map.of("enabled", false), problems);
        assertThat(problems).isEmpty();
        assertThat(settings.metrics().enabled()).isFalse();
        assertThat(settings.metrics().config()).isNull();
        assertThat(parse(Map.of("enabled", "false"), problems).metrics().enabled()).isFalse();
        assertThat(problems).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsPath() {
        List<String> problems = new ArrayList<>();
        assertThat(parse(Map.of("enabled", "maybe", "cardinality_limit", 0, "colour", "red"), problems)).isNull();
        assertThat(problems).hasSize(3)
                .anyMatch(p -> p.startsWith("metrics.enabled: expected true or false, found 'maybe'"))
                .anyMatch(p -> p.startsWith("metrics.cardinality_limit:"))
                .anyMatch(p -> p.startsWith("metrics.colour: unknown key"));
        problems.clear();
        assertThat(parse("yes", problems)).isNull();
        assertThat(problems).containsExactly("metrics: expected a mapping, found 'yes'");
    }
}
