package io.tracesift.topology;

import io.tracesift.aggregation.MetricsConfig;
import io.tracesift.config.ConfigSection;

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
        int before = problems.size();
        ConfigSection metrics = ConfigSection.of("metrics", section, problems);
        if (problems.size() > before) {
            return null;
        }
        boolean on = metrics.bool(ENABLED, true);
        Map<String, Object> rest = new HashMap<>();
        metrics.keys().forEach(key -> rest.put(key, metrics.raw(key)));
        rest.remove(ENABLED);
        MetricsConfig config = MetricsConfig.fromConfig(rest, problems);
        if (problems.size() > before) {
            return null;
        }
        return new MetricsSettings(on, on ? config : null);
    }
}
