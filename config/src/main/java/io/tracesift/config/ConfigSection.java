package io.tracesift.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One mapping of the parsed YAML configuration with its dotted path ("tenancy.topics", "sampling.policies[2]").
 * Its getters read typed values with a fallback for an absent key; a bad value appends a problem
 * "path.key: what is wrong; what is valid" and yields the fallback, so one pass reports every problem in the file
 * and the caller tells from {@link #problemCount()} whether its part parsed cleanly.
 */
public final class ConfigSection {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d{1,18}");

    private final String path;
    private final Map<?, ?> values;
    private final List<String> problems;

    private ConfigSection(String path, Map<?, ?> values, List<String> problems) {
        this.path = path;
        this.values = values;
        this.problems = problems;
    }

    /**
     * A section read from {@code value}: a mapping, or nothing (absent: an empty section). Anything else is reported
     * as "path: expected a mapping, found ..." and read as an empty section.
     */
    public static ConfigSection of(String path, Object value, List<String> problems) {
        if (value == null || value instanceof Map<?, ?>) {
            return new ConfigSection(path, value == null ? Map.of() : (Map<?, ?>) value, problems);
        }
        problems.add(path + ": expected a mapping, found " + show(value));
        return new ConfigSection(path, Map.of(), problems);
    }

    public String path() {
        return path;
    }

    /** The dotted path of one key, "path.key". */
    public String at(String key) {
        return path + "." + key;
    }

    /** How many problems have been reported so far (by every section sharing the list), to tell a clean parse. */
    public int problemCount() {
        return problems.size();
    }

    /** Reports a problem with the section as a whole. */
    public void problem(String message) {
        problems.add(path + ": " + message);
    }

    /** Reports a problem with one key. */
    public void problem(String key, String message) {
        problems.add(at(key) + ": " + message);
    }

    /** Whether the key has a value (a key given as {@code ~} has none). */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value as parsed, for shapes no getter covers. */
    public Object raw(String key) {
        return values.get(key);
    }

    /** The keys given, in file order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        values.keySet().forEach(key -> keys.add(String.valueOf(key)));
        return keys;
    }

    /** Reports every key not in {@code valid} as "unknown key; did you mean 'x'? valid keys: a, b". */
    public void rejectUnknownKeys(Collection<String> valid) {
        rejectUnknownKeys(valid, "keys");
    }

    /**
     * Reports every key not in {@code valid}, suggesting the closest one and listing all in their given order
     * after "valid {@code validWhat}:", e.g. "keys for a tenant".
     */
    public void rejectUnknownKeys(Collection<String> valid, String validWhat) {
        for (String key : keys()) {
            if (!valid.contains(key)) {
                problem(key, "unknown key" + ClosestName.didYouMean(key, valid) + " valid " + validWhat + ": "
                        + String.join(", ", valid));
            }
        }
    }

    /** Non-blank text (a number is taken as its text), stripped of surrounding white space. */
    public String text(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s.strip();
        }
        if (value instanceof Number) {
            return value.toString();
        }
        String hint = value instanceof Boolean ? " (YAML reads yes, no, on and off as booleans: quote the text)" : "";
        problem(key, "expected non-empty text, found " + show(value) + hint);
        return fallback;
    }

    /** A list of texts; one text is read as a comma-separated list. */
    public List<String> texts(String key, List<String> fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return List.of(s.strip().split("\\s*,\\s*"));
        }
        if (value instanceof List<?> list && list.stream().allMatch(ConfigSection::scalar)) {
            return list.stream().map(String::valueOf).toList();
        }
        problem(key, "expected a list of texts, found " + show(value));
        return fallback;
    }

    /** true or false (also as the text "true" or "false" in any case, as environment variables give it). */
    public boolean bool(String key, boolean fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.strip());
        }
        problem(key, "expected true or false, found " + show(value));
        return fallback;
    }

    /** A whole number from {@code min} to {@code max} (also as text, or a number with no fraction such as 5.0). */
    public int integer(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max);
    }

    /** Any whole number (also as text, or a number with no fraction such as 5.0). */
    public long whole(String key, long fallback) {
        return whole(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max} (also as text, or a number with no fraction such as 5.0). */
    public long whole(String key, long fallback, long min, long max) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Long whole = wholeNumber(value);
        if (whole == null || whole < min || whole > max) {
            String range = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "" : " from " + min + " to " + max;
            problem(key, "expected a whole number" + range + ", found " + show(value));
            return fallback;
        }
        return whole;
    }

    /** Any number (also as text). */
    public double number(String key, double fallback) {
        return number(key, fallback, n -> !Double.isNaN(n), shown -> "expected a number, found " + shown);
    }

    /** A share from 0 to 1. */
    public double probability(String key, double fallback) {
        return number(key, fallback, p -> p >= 0 && p <= 1,
                shown -> shown + " is not a probability; use a number from 0 to 1, like 0.1 for 10 %");
    }

    /** A duration of zero or more in the syntax of {@link ConfigDuration}. */
    public Duration duration(String key, Duration fallback) {
        return duration(key, fallback, true);
    }

    /** A duration longer than zero in the syntax of {@link ConfigDuration}. */
    public Duration positiveDuration(String key, Duration fallback) {
        return duration(key, fallback, false);
    }

    /** An ISO-8601 instant such as 2026-01-01T00:00:00Z. */
    public Instant instant(String key, Instant fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            if (value instanceof String s) {
                return Instant.parse(s.strip());
            }
        } catch (DateTimeParseException notAnInstant) {
            // reported below, like any other value that is not an instant
        }
        problem(key, show(value) + " is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        return fallback;
    }

    /** One of {@code valid}, reported as "unknown key 'x'; did you mean 'y'? valid: a, b" otherwise. */
    public String choice(String key, List<String> valid, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        String given = String.valueOf(value);
        if (valid.contains(given)) {
            return given;
        }
        problem(key, "unknown " + key + " " + show(value) + ClosestName.didYouMean(given, valid) + " valid: "
                + String.join(", ", valid));
        return fallback;
    }

    /** One of an enum's constants by its {@link #configName(Enum) configuration name}. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(configName(constant), constant);
        }
        String chosen = choice(key, List.copyOf(byName.keySet()), null);
        return chosen == null ? fallback : byName.get(chosen);
    }

    /** An enum constant's name in the configuration: lower case with "-" for "_" (HEADER_OR_ATTRIBUTE: header-or-attribute). */
    public static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A nested mapping; absent: an empty section; anything else is reported and read as an empty section. */
    public ConfigSection section(String key) {
        Object value = values.get(key);
        if (value == null || value instanceof Map<?, ?>) {
            return of(at(key), value, problems);
        }
        problem(key, "expected a mapping, found " + show(value));
        return of(at(key), null, problems);
    }

    /** A mapping of names to mappings, such as tenant id to its settings, in file order. Absent: empty. */
    public Map<String, ConfigSection> namedSections(String key) {
        Map<String, ConfigSection> sections = new LinkedHashMap<>();
        ConfigSection outer = section(key);
        for (String name : outer.keys()) {
            Object value = outer.values.get(name);
            if (value instanceof Map<?, ?> map) {
                sections.put(name, new ConfigSection(outer.at(name), map, problems));
            } else {
                outer.problem(name, "expected a mapping, found " + show(value));
            }
        }
        return sections;
    }

    /**
     * A list of mappings, each with the path "path.key[i]"; an element that is not a mapping is reported with
     * {@code elementHint} (how to write one). Absent, or not a list (reported): empty.
     */
    public List<ConfigSection> list(String key, String elementHint) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(key, "expected a list, found " + show(value));
            return List.of();
        }
        List<ConfigSection> sections = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String elementPath = at(key) + "[" + i + "]";
            if (list.get(i) instanceof Map<?, ?> map) {
                sections.add(new ConfigSection(elementPath, map, problems));
            } else {
                problems.add(elementPath + ": expected a mapping, found " + show(list.get(i)) + "; " + elementHint);
            }
        }
        return sections;
    }

    /** A value as problem messages show it: text in single quotes, anything else as Java prints it. */
    public static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed = value instanceof String s ? ConfigDuration.parse(s).orElse(null) : null;
        if (parsed == null) {
            String hint = value instanceof Number ? "a bare number has no unit; " : "";
            problem(key, show(value) + " is not a duration; " + hint + ConfigDuration.HELP);
            return fallback;
        }
        if (parsed.isZero() && !zeroAllowed) {
            problem(key, show(value) + " must be greater than zero; " + ConfigDuration.HELP);
            return fallback;
        }
        return parsed;
    }

    private double number(String key, double fallback, DoublePredicate valid, UnaryOperator<String> problemOfShown) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Double number = number(value);
        if (number == null || !valid.test(number)) {
            problem(key, problemOfShown.apply(show(value)));
            return fallback;
        }
        return number;
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? big.longValue() : null;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? (long) d : null;
        }
        if (value instanceof String s && WHOLE_NUMBER.matcher(s.strip()).matches()) {
            return Long.parseLong(s.strip());
        }
        return null;
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static boolean scalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }
}
