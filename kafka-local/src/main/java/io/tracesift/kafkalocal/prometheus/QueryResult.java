package io.tracesift.kafkalocal.prometheus;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of an instant query: a {@code vector} (one sample per series), a {@code scalar} (one sample without
 * labels), or a {@code matrix} (a range selector; each series' latest sample).
 */
public record QueryResult(String resultType, List<Sample> samples) {
    public QueryResult {
        samples = List.copyOf(samples);
    }

    static QueryResult fromData(JsonNode data) {
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<Sample> samples = new ArrayList<>();
        switch (type) {
            case "vector" -> result.forEach(series -> samples.add(new Sample(labels(series), number(series.path("value")))));
            case "matrix" -> result.forEach(series -> {
                JsonNode values = series.path("values");
                samples.add(new Sample(labels(series), number(values.get(values.size() - 1))));
            });
            case "scalar" -> samples.add(new Sample(Map.of(), number(result)));
            default -> throw new PrometheusException("Unexpected Prometheus result type " + type + ": " + data);
        }
        return new QueryResult(type, samples);
    }

    private static Map<String, String> labels(JsonNode series) {
        Map<String, String> labels = new LinkedHashMap<>();
        series.path("metric").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return labels;
    }

    /** {@code [timestamp, "value"]}; Prometheus writes infinities as +Inf/-Inf. */
    private static double number(JsonNode pair) {
        String text = pair.get(1).asText();
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The value of the only sample. @throws PrometheusException when there is not exactly one */
    public double single() {
        if (samples.size() != 1) {
            throw new PrometheusException("Expected exactly one sample, got " + samples.size() + ": " + samples);
        }
        return samples.get(0).value();
    }

    /** The sample whose labels include all of {@code labels}, if any. */
    public Optional<Sample> find(Map<String, String> labels) {
        return samples.stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).findFirst();
    }
}
