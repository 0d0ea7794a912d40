package io.tracesift.kafkalocal.prometheus;

import java.util.Map;

/** One series of a query result: its labels (with {@code __name__} where Prometheus keeps it) and value. */
public record Sample(Map<String, String> labels, double value) {
    public Sample {
        labels = Map.copyOf(labels);
    }

    public String label(String name) {
        return labels.get(name);
    }
}
