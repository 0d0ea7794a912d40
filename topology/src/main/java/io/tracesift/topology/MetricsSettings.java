package io.tracesift.topology;

import io.tracesift.aggregation.MetricsConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code metrics:} section: {@code enabled} (default true; off leaves out the metric stores and all per-span
 * metric work, so a benchmark can compare) and everything else for aggregation's {@link MetricsConfig}.
 *
 * @param config null when disabled
 */
public record MetricsSettings(boolean enabled, MetricsConfig config) {
    static final String ENABLED = "enabled";

    public static MetricsSettings defaults() {
        return new MetricsSettings(true, MetricsConfig.defaults());
    }

    /** Appends every problem as "metrics.key: ..."; returns null when there was any. */
    static MetricsSettings fromConfig(Object section, List<String> problems) {
        if (section == null) {
            return defaults();
        }
        if (!(section instanceof Map<?, ?> map)) {
            problems.add("metrics: must be a mapping of keys to values");
            return null;
        }
        Map<String, Object> rest = new HashMap<>();
        map.forEach((k, v) -> rest.put(String.valueOf(k), v));
        Object enabled = rest.remove(ENABLED);
        boolean on = true;
        int before = problems.size();
        if (enabled instanceof Boolean b) {
            on = b;
        } else if (enabled instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            on = Boolean.parseBoolean(text);   // from an environment variable or a properties file
        } else if (enabled != null) {
            problems.add("metrics.enabled: must be true or false");
        }
        MetricsConfig config = MetricsConfig.fromConfig(rest, problems);
        if (problems.size() > before) {
            return null;
        }
        return new MetricsSettings(on, on ? config : null);
    }
}
