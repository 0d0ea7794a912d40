package io.tracesift.workload;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from one parsed YAML section of the workload settings; every problem is appended as
 * "section.key: what is wrong; what is valid" so that all of them can be reported at once.
 */
final class SettingsReader {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private final String section;
    private final Map<String, Object> values;
    private final List<String> problems;

    SettingsReader(String section, Map<String, Object> values, List<String> problems) {
        this.section = section;
        this.values = values == null ? Map.of() : values;
        this.problems = problems;
    }

    void rejectUnknownKeys(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problem(key, "unknown key; valid keys are " + new TreeSet<>(known));
            }
        }
    }

    void problem(String key, String message) {
        problems.add(section + "." + key + ": " + message);
    }

    String string(String key, String defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        problem(key, "must be a string");
        return defaultValue;
    }

    double number(String key, double defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().strip());
        } catch (NumberFormatException e) {
            problem(key, "'" + value + "' is not a number");
            return defaultValue;
        }
    }

    long whole(String key, long defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        String text = value.toString().strip();
        if (text.matches("-?\\d{1,18}")) {
            return Long.parseLong(text);
        }
        problem(key, "'" + value + "' is not a whole number");
        return defaultValue;
    }

    boolean bool(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        problem(key, "'" + value + "' is not valid; must be true or false");
        return defaultValue;
    }

    /** A duration such as "500ms", "2s", "60m" or "2h". */
    Duration duration(String key, Duration defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            problem(key, "'" + value + "' is not a duration; use a whole number with ms, s, m or h, e.g. \"30m\"");
            return defaultValue;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    Instant instant(String key, Instant defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            problem(key, "'" + value + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            return defaultValue;
        }
    }

    List<String> strings(String key, List<String> defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String text) {
            return List.of(text.split("\\s*,\\s*"));
        }
        if (!(value instanceof List<?> list)) {
            problem(key, "must be a list of strings");
            return defaultValue;
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            result.add(String.valueOf(item));
        }
        return List.copyOf(result);
    }
}
