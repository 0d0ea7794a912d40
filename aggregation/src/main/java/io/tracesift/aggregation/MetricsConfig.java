package io.tracesift.aggregation;

import io.tracesift.config.ConfigDuration;
import io.tracesift.config.ConfigSection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code metrics:} section of the configuration.
 *
 * @param dimensions        extra span-metrics labels, in order
 * @param cardinalityLimit  series per metric family per tenant (per store, i.e. per task) before new label sets
 *                          go to the overflow series
 * @param workflowAttribute root-span attribute naming a workflow run's type
 * @param histogramBuckets  upper bounds in seconds of every duration histogram
 */
public record MetricsConfig(List<Dimension> dimensions, int cardinalityLimit, String workflowAttribute,
                            double[] histogramBuckets) {

    public static final int DEFAULT_CARDINALITY_LIMIT = 2000;
    public static final String DEFAULT_WORKFLOW_ATTRIBUTE = "workflow.type";
    /** Grafana Tempo's metrics-generator default: 2 ms doubling to 16.384 s. */
    public static final List<Double> DEFAULT_HISTOGRAM_BUCKETS = List.of(0.002, 0.004, 0.008, 0.016, 0.032, 0.064,
            0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384);

    private static final List<String> KEYS = List.of("dimensions", "cardinality_limit", "workflow_attribute", "histogram_buckets");

    public MetricsConfig {
        dimensions = List.copyOf(dimensions);
        histogramBuckets = histogramBuckets.clone();
        String problem = HistogramValue.boundsProblem(histogramBuckets);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (cardinalityLimit < 1) {
            throw new IllegalArgumentException("cardinality limit must be at least 1: " + cardinalityLimit);
        }
        if (workflowAttribute == null || workflowAttribute.isBlank()) {
            throw new IllegalArgumentException("workflow attribute must not be blank");
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(List.of(), DEFAULT_CARDINALITY_LIMIT, DEFAULT_WORKFLOW_ATTRIBUTE,
                DEFAULT_HISTOGRAM_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A copy: the bounds are shared by every histogram value, so nobody may change them. */
    @Override
    public double[] histogramBuckets() {
        return histogramBuckets.clone();
    }

    /**
     * Parses the YAML {@code metrics:} section (null or empty: {@link #defaults()}). Every problem is appended to
     * {@code problems} as "metrics.key: what is wrong; what is valid"; returns null when there was any.
     */
    public static MetricsConfig fromConfig(Map<String, Object> section, List<String> problems) {
        MetricsConfig defaults = defaults();
        if (section == null) {
            return defaults;
        }
        int before = problems.size();
        ConfigSection metrics = ConfigSection.of("metrics", section, problems);
        metrics.rejectUnknownKeys(KEYS);
        List<Dimension> dimensions = section.containsKey("dimensions")
                ? dimensions(section.get("dimensions"), problems) : defaults.dimensions();
        int limit = metrics.integer("cardinality_limit", DEFAULT_CARDINALITY_LIMIT, 1, 1_000_000);
        String workflow = metrics.text("workflow_attribute", DEFAULT_WORKFLOW_ATTRIBUTE);
        double[] buckets = section.containsKey("histogram_buckets")
                ? buckets(section.get("histogram_buckets"), problems) : defaults.histogramBuckets;
        return problems.size() > before ? null : new MetricsConfig(dimensions, limit, workflow, buckets);
    }

    private static List<Dimension> dimensions(Object value, List<String> problems) {
        if (!(value instanceof List<?> list)) {
            problems.add("metrics.dimensions: " + describe(value) + " is not a list; give a list of attribute keys or {name, default} maps");
            return List.of();
        }
        List<Dimension> out = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "metrics.dimensions[" + i + "]";
            Dimension d = dimension(list.get(i), path, problems);
            if (d == null) {
                continue;
            }
            if (Dimension.RESERVED.contains(d.labelName()) || d.labelName().startsWith("__")) {
                problems.add(path + ".name: " + d.name() + " would become the reserved label " + d.labelName()
                        + "; reserved are " + String.join(", ", Dimension.RESERVED.stream().sorted().toList()) + " and names starting with __");
            } else if (!labels.add(d.labelName())) {
                problems.add(path + ".name: " + d.name() + " gives label " + d.labelName() + " a second time; each dimension needs its own label name");
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static Dimension dimension(Object item, String path, List<String> problems) {
        if (item instanceof String s && !s.isBlank()) {
            return new Dimension(s, "");
        }
        if (item instanceof Map<?, ?> map) {
            ConfigSection.of(path, map, problems).rejectUnknownKeys(List.of("name", "default"));
            Object name = map.get("name");
            if (!(name instanceof String n) || n.isBlank()) {
                problems.add(path + ".name: " + describe(name) + " is not an attribute key; give a non-empty string");
                return null;
            }
            Object def = map.get("default");
            if (def instanceof Map || def instanceof List) {
                problems.add(path + ".default: " + describe(def) + " is not a label value; give a string, number or boolean");
                return null;
            }
            return new Dimension(n, def == null ? "" : def.toString());
        }
        problems.add(path + ": " + describe(item) + " is not a dimension; give an attribute key or a {name, default} map");
        return null;
    }

    private static double[] buckets(Object value, List<String> problems) {
        if (!(value instanceof List<?> list)) {
            problems.add("metrics.histogram_buckets: " + describe(value) + " is not a list; give increasing upper bounds in seconds or as durations, e.g. [0.005, \"10ms\", 1]");
            return new double[0];
        }
        double[] bounds = new double[list.size()];
        boolean ok = true;
        for (int i = 0; i < bounds.length; i++) {
            Double seconds = seconds(list.get(i));
            if (seconds == null || seconds <= 0) {
                problems.add("metrics.histogram_buckets[" + i + "]: " + describe(list.get(i))
                        + " is not a positive bound; give seconds (0.25) or a duration (\"250ms\", \"2s\")");
                ok = false;
            } else {
                bounds[i] = seconds;
            }
        }
        if (ok) {
            String problem = HistogramValue.boundsProblem(bounds);
            if (problem != null) {
                problems.add("metrics.histogram_buckets: " + problem);
            }
        }
        return bounds;
    }

    private static Double seconds(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof String s) {
            return ConfigDuration.parse(s.toLowerCase(Locale.ROOT)).map(d -> d.toNanos() / 1e9).orElse(null);
        }
        return null;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricsConfig c && dimensions.equals(c.dimensions) && cardinalityLimit == c.cardinalityLimit
                && workflowAttribute.equals(c.workflowAttribute) && Arrays.equals(histogramBuckets, c.histogramBuckets);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * dimensions.hashCode() + cardinalityLimit) + workflowAttribute.hashCode())
                + Arrays.hashCode(histogramBuckets);
    }

    @Override
    public String toString() {
        return "MetricsConfig[dimensions=" + dimensions + ", cardinalityLimit=" + cardinalityLimit
                + ", workflowAttribute=" + workflowAttribute + ", histogramBuckets=" + Arrays.toString(histogramBuckets) + "]";
    }
}
