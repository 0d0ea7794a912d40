package io.tracesift.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one YAML section with defaults, appending every problem as "section.key: what is wrong; what is valid".
 * Durations are strings such as "500ms", "2s", "60m", "2h", "7d".
 */
final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

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

    /** Flags keys this section does not define, so typos are caught at startup. */
    void rejectUnknownKeys(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add(name + "." + key + ": unknown key; valid keys are " + new TreeSet<>(known));
            }
        }
    }

    String string(String key, String fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        problems.add(name + "." + key + ": must be a non-empty string");
        return fallback;
    }

    boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        problems.add(name + "." + key + ": must be true or false");
        return fallback;
    }

    int positiveInt(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        long parsed;
        if (v instanceof Number n && n.longValue() == n.doubleValue()) {
            parsed = n.longValue();
        } else if (v instanceof String s && s.trim().matches("\\d{1,10}")) {
            parsed = Long.parseLong(s.trim());
        } else {
            parsed = -1;
        }
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            problems.add(name + "." + key + ": must be a whole number from 1 to " + Integer.MAX_VALUE);
            return fallback;
        }
        return (int) parsed;
    }

    /** A duration, or {@code fallback} when absent; null only when fallback is null and the key is absent. */
    Duration duration(String key, Duration fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        Duration parsed = v instanceof String s ? parseDuration(s.trim()) : null;
        if (parsed == null) {
            problems.add(name + "." + key + ": must be a duration such as \"500ms\", \"2s\", \"60m\", \"2h\" or \"7d\"");
            return fallback;
        }
        return parsed;
    }

    Object raw(String key) {
        return values.get(key);
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || m.group(1).length() > 12) {
            return null;
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
}
