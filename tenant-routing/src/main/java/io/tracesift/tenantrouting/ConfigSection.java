package io.tracesift.tenantrouting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from one parsed YAML section; every problem is appended as "path.key: what is wrong; what is valid"
 * so that startup validation can list them all at once.
 */
final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String path;
    private final Map<String, Object> values;
    private final List<String> problems;

    ConfigSection(String path, Map<String, Object> values, List<String> problems) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
        this.problems = problems;
    }

    /** Reports every key not in {@code known}, so a typo is not silently ignored. */
    void rejectUnknownKeys(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problem(key, "unknown key; valid keys are " + known.stream().sorted().toList());
            }
        }
    }

    void problem(String key, String message) {
        problems.add(path + "." + key + ": " + message);
    }

    Set<String> keys() {
        return values.keySet();
    }

    boolean has(String key) {
        return values.get(key) != null;
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

    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (configName(constant).equals(value)) {
                return constant;
            }
        }
        List<String> valid = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            valid.add(configName(constant));
        }
        problem(key, "'" + value + "' is not valid; valid values are " + valid);
        return defaultValue;
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    int integer(String key, int defaultValue, int min, int max) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof String text && text.matches("-?\\d{1,18}")) {
            parsed = Long.parseLong(text);
        } else {
            problem(key, "'" + value + "' is not a whole number; must be between " + min + " and " + max);
            return defaultValue;
        }
        if (parsed < min || parsed > max) {
            problem(key, parsed + " is out of range; must be between " + min + " and " + max);
            return defaultValue;
        }
        return (int) parsed;
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

    /** A duration such as "500ms", "2s", "60m", "2h" or "30d". */
    Duration duration(String key, Duration defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null) {
            problem(key, "'" + value + "' is not a duration; use a whole number with ms, s, m, h or d, e.g. \"30d\"");
            return defaultValue;
        }
        return parsed;
    }

    static Duration parseDuration(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches() || matcher.group(1).length() > 12) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    List<String> strings(String key, List<String> defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof List<?> list)) {
            problem(key, "must be a list of strings");
            return defaultValue;
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof String text) {
                result.add(text);
            } else {
                problem(key, "'" + item + "' is not a string; must be a list of strings");
            }
        }
        return List.copyOf(result);
    }

    @SuppressWarnings("unchecked")
    ConfigSection section(String key) {
        Object value = values.get(key);
        if (value == null) {
            return new ConfigSection(path + "." + key, Map.of(), problems);
        }
        if (value instanceof Map<?, ?> map) {
            return new ConfigSection(path + "." + key, (Map<String, Object>) map, problems);
        }
        problem(key, "must be a mapping");
        return new ConfigSection(path + "." + key, Map.of(), problems);
    }
}
