package io.tracesift.sampling;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the parsed YAML with its dotted path. Reads typed values and appends a problem
 * ("path.key: what is wrong; what is valid") for each bad one instead of failing, so a single pass
 * reports every problem in the file. Getters return null (or the fallback) when a value is bad.
 */
final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final String DURATION_HELP = "use a number and a unit ms, s, m or h, like '500ms', '2s', '1.5s', '60m' or '2h'";

    private final String path;
    private final Map<?, ?> values;
    private final List<String> problems;

    ConfigSection(String path, Map<?, ?> values, List<String> problems) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
        this.problems = problems;
    }

    /** How many problems have been reported so far, to tell whether a part parsed cleanly. */
    int problemCount() {
        return problems.size();
    }

    String at(String key) {
        return path + "." + key;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    void problem(String message) {
        problems.add(path + ": " + message);
    }

    void problem(String key, String message) {
        problems.add(at(key) + ": " + message);
    }

    /** Reports every key that is not in {@code valid}, suggesting the closest valid one. */
    void rejectUnknownKeys(Collection<String> valid, String validWhat) {
        for (Object key : values.keySet()) {
            String name = String.valueOf(key);
            if (!valid.contains(name)) {
                problem(name, "unknown key" + didYouMean(name, valid) + " valid " + validWhat + ": " + String.join(", ", valid));
            }
        }
    }

    String text(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        String hint = value instanceof Boolean ? " (YAML reads yes, no, on and off as booleans: quote the text)" : "";
        problem(key, "expected non-empty text, found " + show(value) + hint);
        return null;
    }

    /** A positive duration such as "500ms" or "2s". */
    Duration duration(String key, Duration fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value instanceof String s ? s.trim() : "");
        if (!m.matches()) {
            String hint = value instanceof Number ? "a bare number has no unit; " : "";
            problem(key, show(value) + " is not a duration; " + hint + DURATION_HELP);
            return null;
        }
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.signum() <= 0) {
            problem(key, show(value) + " must be greater than zero; " + DURATION_HELP);
            return null;
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            problem(key, show(value) + " is too long; " + DURATION_HELP);
            return null;
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** A share in [0, 1]. */
    Double probability(String key, double fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Double p = number(value);
        if (p == null || !(p >= 0 && p <= 1)) {
            problem(key, show(value) + " is not a probability; use a number from 0 to 1, like 0.1 for 10 %");
            return null;
        }
        return p;
    }

    /** A number (or text that parses as one), or null with a problem. */
    Double number(String key) {
        Object value = values.get(key);
        Double number = number(value);
        if (number == null || number.isNaN()) {
            problem(key, "expected a number, found " + show(value));
            return null;
        }
        return number;
    }

    /** {@code keep} (the default) or {@code drop}. */
    Decision.Verdict action(String key) {
        Object value = values.get(key);
        if (value == null || "keep".equals(value)) {
            return Decision.Verdict.KEEP;
        }
        if ("drop".equals(value)) {
            return Decision.Verdict.DROP;
        }
        problem(key, "unknown action " + show(value) + didYouMean(String.valueOf(value), List.of("keep", "drop"))
                + " valid: keep, drop");
        return null;
    }

    /** A nested mapping, or null with a problem when the value is something else. Absent: null, no problem. */
    ConfigSection section(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return new ConfigSection(at(key), map, problems);
        }
        problem(key, "expected a mapping, found " + show(value));
        return null;
    }

    /** A mapping of names to mappings, such as tenant id to its settings. Absent: empty. */
    Map<String, ConfigSection> namedSections(String key) {
        Map<String, ConfigSection> sections = new LinkedHashMap<>();
        ConfigSection outer = section(key);
        if (outer == null) {
            return sections;
        }
        for (Map.Entry<?, ?> entry : outer.values.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> map) {
                sections.put(name, new ConfigSection(outer.at(name), map, problems));
            } else {
                outer.problem(name, "expected a mapping, found " + show(entry.getValue()));
            }
        }
        return sections;
    }

    /** A list of mappings; each element's path is {@code key[i]}. Absent: null, no problem. */
    List<ConfigSection> list(String key, String elementHint) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            problem(key, "expected a list, found " + show(value));
            return null;
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

    static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** "; did you mean 'x'?" for the closest candidate within two edits, else ";". */
    static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(given.toLowerCase(), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= 2 && bestDistance < given.length() ? "; did you mean '" + best + "'?" : ";";
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
