package io.tracesift.sampling;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps or drops a trace when any of its spans has an attribute that matches: equal to one of some
 * values, matching a regular expression, or a number in a range. Each span is asked for the
 * attribute through {@link SpanView#attribute}, which looks at the span's attributes first, then its
 * resource's. A trace where no span matches gets no opinion.
 */
public final class AttributePolicy implements SamplingPolicy {
    public static final String REASON = "attribute";

    /** How an attribute value (String, Long, Double or Boolean) is matched. */
    public sealed interface Match permits EqualTo, Regex, Range {
        boolean test(Object value);
    }

    /**
     * Equal to any of the values, compared by canonical text: whole numbers without a fraction
     * ({@code 200} equals {@code 200L}, {@code 200.0} and {@code "200"}), booleans as {@code true}/{@code false}.
     */
    public record EqualTo(Set<String> values) implements Match {
        public EqualTo {
            values = Set.copyOf(values);
        }

        public static EqualTo of(List<?> values) {
            Set<String> canonical = new LinkedHashSet<>();
            for (Object value : values) {
                canonical.add(canonical(value));
            }
            return new EqualTo(canonical);
        }

        @Override
        public boolean test(Object value) {
            return values.contains(canonical(value));
        }
    }

    /** The canonical text of the value contains a match for the pattern (anchor it with ^...$ for whole values). */
    public record Regex(Pattern pattern) implements Match {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean test(Object value) {
            return pattern.matcher(canonical(value)).find();
        }

        // Pattern compares by identity; two configs with the same expression are the same rule.
        @Override
        public boolean equals(Object other) {
            return other instanceof Regex r && r.pattern.pattern().equals(pattern.pattern()) && r.pattern.flags() == pattern.flags();
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }

    /** A number, or text that parses as one, between min and max inclusive; use infinities for open ends. */
    public record Range(double min, double max) implements Match {
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("range needs min <= max, was " + min + ".." + max);
            }
        }

        @Override
        public boolean test(Object value) {
            double number;
            if (value instanceof Number n) {
                number = n.doubleValue();
            } else if (value instanceof String s) {
                try {
                    number = Double.parseDouble(s.trim());
                } catch (NumberFormatException notANumber) {
                    return false;
                }
            } else {
                return false;
            }
            return number >= min && number <= max;
        }
    }

    private final String key;
    private final Match match;
    private final Decision decision;

    /** @param action {@code KEEP} or {@code DROP}: what to do with a trace where any span matches */
    public AttributePolicy(String key, Match match, Decision.Verdict action, String reason) {
        this.key = Objects.requireNonNull(key, "key");
        this.match = Objects.requireNonNull(match, "match");
        this.decision = Decision.of(action, reason);
    }

    @Override
    public Decision evaluate(TraceView trace) {
        for (SpanView span : trace.spans()) {
            Object value = span.attribute(key);
            if (value != null && match.test(value)) {
                return decision;
            }
        }
        return Decision.NO_MATCH;
    }

    static String canonical(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            // 2^53: beyond it a double no longer holds every whole number, so keep its own text.
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        return String.valueOf(value);
    }
}
