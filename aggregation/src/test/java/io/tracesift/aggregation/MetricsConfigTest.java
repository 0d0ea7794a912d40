package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsConfigTest {

    static Map<String, Object> section(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void noSectionMeansTempoDefaults() {
        List<String> problems = new ArrayList<>();
        MetricsConfig config = MetricsConfig.fromConfig(null, problems);
        assertThat(problems).isEmpty();
        assertThat(config).isEqualTo(MetricsConfig.fromConfig(Map.of(), problems)).isEqualTo(MetricsConfig.defaults());
        assertThat(config.cardinalityLimit()).isEqualTo(2000);
        assertThat(config.workflowAttribute()).isEqualTo("workflow.type");
        assertThat(config.dimensions()).isEmpty();
        assertThat(config.histogramBuckets()).hasSize(14).startsWith(0.002, 0.004).endsWith(8.192, 16.384);
    }

    @Test
    void everyKeyIsRead() {
        List<String> problems = new ArrayList<>();
        MetricsConfig config = MetricsConfig.fromConfig(section(
                "dimensions", List.of("gen_ai.agent.name", Map.of("name", "workflow.type", "default", "none"), Map.of("name", "http.status_code", "default", 200)),
                "cardinality_limit", 500,
                "workflow_attribute", "app.flow",
                "histogram_buckets", List.of("5ms", 0.05, "250ms", "1.5s", "2m")), problems);
        assertThat(problems).isEmpty();
        assertThat(config.dimensions()).containsExactly(new Dimension("gen_ai.agent.name", ""), new Dimension("workflow.type", "none"),
                new Dimension("http.status_code", "200"));
        assertThat(config.cardinalityLimit()).isEqualTo(500);
        assertThat(config.workflowAttribute()).isEqualTo("app.flow");
        assertThat(config.histogramBuckets()).containsExactly(0.005, 0.05, 0.25, 1.5, 120.0);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(section("dimension", List.of()),
                        "metrics.dimension: unknown key; did you mean 'dimensions'? valid keys: dimensions, cardinality_limit, workflow_attribute, histogram_buckets"),
                Arguments.of(section("dimensions", "service.version"),
                        "metrics.dimensions: \"service.version\" is not a list; give a list of attribute keys or {name, default} maps"),
                Arguments.of(section("dimensions", List.of("service")),
                        "metrics.dimensions[0].name: service would become the reserved label service; reserved are instance, job, le, otel_metric_overflow, service, span_kind, span_name, status_code, tenant and names starting with __"),
                Arguments.of(section("dimensions", List.of("ok", Map.of("name", "span.name"))),
                        "metrics.dimensions[1].name: span.name would become the reserved label span_name; reserved are instance, job, le, otel_metric_overflow, service, span_kind, span_name, status_code, tenant and names starting with __"),
                Arguments.of(section("dimensions", List.of("__x")),
                        "metrics.dimensions[0].name: __x would become the reserved label __x; reserved are instance, job, le, otel_metric_overflow, service, span_kind, span_name, status_code, tenant and names starting with __"),
                Arguments.of(section("dimensions", List.of("a.b", "a_b")),
                        "metrics.dimensions[1].name: a_b gives label a_b a second time; each dimension needs its own label name"),
                Arguments.of(section("dimensions", List.of(Map.of("default", "x"))),
                        "metrics.dimensions[0].name: nothing is not an attribute key; give a non-empty string"),
                Arguments.of(section("dimensions", List.of(Map.of("name", "a", "deflt", "x"))),
                        "metrics.dimensions[0].deflt: unknown key; did you mean 'default'? valid keys: name, default"),
                Arguments.of(section("dimensions", List.of(7)),
                        "metrics.dimensions[0]: 7 is not a dimension; give an attribute key or a {name, default} map"),
                Arguments.of(section("cardinality_limit", 0),
                        "metrics.cardinality_limit: expected a whole number from 1 to 1000000, found 0"),
                Arguments.of(section("cardinality_limit", "lots"),
                        "metrics.cardinality_limit: expected a whole number from 1 to 1000000, found 'lots'"),
                Arguments.of(section("workflow_attribute", ""),
                        "metrics.workflow_attribute: expected non-empty text, found ''"),
                Arguments.of(section("histogram_buckets", "fast"),
                        "metrics.histogram_buckets: \"fast\" is not a list; give increasing upper bounds in seconds or as durations, e.g. [0.005, \"10ms\", 1]"),
                Arguments.of(section("histogram_buckets", List.of(0.1, "2 weeks")),
                        "metrics.histogram_buckets[1]: \"2 weeks\" is not a positive bound; give seconds (0.25) or a duration (\"250ms\", \"2s\")"),
                Arguments.of(section("histogram_buckets", List.of(-1)),
                        "metrics.histogram_buckets[0]: -1 is not a positive bound; give seconds (0.25) or a duration (\"250ms\", \"2s\")"),
                Arguments.of(section("histogram_buckets", List.of("1s", 0.5)),
                        "metrics.histogram_buckets: bucket bounds must be strictly increasing, got 1.0 then 0.5"),
                Arguments.of(section("histogram_buckets", List.of()),
                        "metrics.histogram_buckets: between 1 and 1024 bucket bounds are needed, got 0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void problemsAreReportedAndNoConfigIsReturned(Map<String, Object> section, String problem) {
        List<String> problems = new ArrayList<>();
        assertThat(MetricsConfig.fromConfig(section, problems)).isNull();
        assertThat(problems).containsExactly(problem);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = new ArrayList<>(List.of("sampling.x: earlier problem"));
        MetricsConfig config = MetricsConfig.fromConfig(section("cardinality_limit", -3, "workflow_attribute", true, "colour", "red"), problems);
        assertThat(config).isNull();
        assertThat(problems).hasSize(4).first().isEqualTo("sampling.x: earlier problem");
    }
}
