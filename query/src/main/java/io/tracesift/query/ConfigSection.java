package io.tracesift.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code query:} YAML section with defaults, appending every problem as
 * "section.key: what is wrong; what is valid". Durations are strings such as "500ms", "2s", "60m", "24h", "7d".
 */
final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private final String name;
    private final Map<String, Object> values;
    private final List<String> problems;

    ConfigSection(String name, Object section, List<String> problems) {
        this.name = name;
        this.problems = problems;
        if (section == null) {
            this.values = Map.of();
        } else if (section instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            this.values = typed;
        } else {
            problems.add(name + ": must be a mapping of keys to values");
            this.values = Map.of();
        }
    }

    void rejectUnknownKeys(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add(name + "." + key + ": unknown key; valid keys are " + new TreeSet<>(known));
            }
        }
    }

    int intInRange(String key, int fallback, int min, int max) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        long parsed = v instanceof Number n && n.longValue() == n.doubleValue() ? n.longValue()
                : v instanceof String s && s.trim().matches("\\d{1,10}") ? Long.parseLong(s.trim()) : Long.MIN_VALUE;
        if (parsed < min || parsed > max) {
            problems.add(name + "." + key + ": must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return (int) parsed;
    }

    Duration duration(String key, Duration fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        Matcher m = v instanceof String s ? DURATION.matcher(s.trim()) : null;
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(name + "." + key + ": must be a positive duration such as \"500ms\", \"2s\", \"60m\", "
                    + "\"24h\" or \"7d\"");
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        problems.add(name + "." + key + ": must be a non-empty string");
        return null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    String name() {
        return name;
    }

    List<String> problems() {
        return problems;
    }
}
