package io.tracesift.aggregation;

import java.util.Objects;
import java.util.Set;

/**
 * An extra span-metrics label taken from a span (or resource) attribute, as in the Collector's span metrics
 * connector.
 *
 * @param name         the attribute key, e.g. {@code workflow.type}; exposed as a Prometheus label with every
 *                     character other than letters, digits and {@code _} replaced by {@code _}
 * @param defaultValue the label value when the span lacks the attribute ("" leaves the label unset in Prometheus)
 */
public record Dimension(String name, String defaultValue) {
    /** Label names a dimension may not take (after sanitising): they are built in or Prometheus' own. */
    public static final Set<String> RESERVED = Set.of("service", "span_name", "span_kind", "status_code", "tenant",
            "otel_metric_overflow", "le", "job", "instance");

    public Dimension {
        Objects.requireNonNull(name, "name");
        defaultValue = defaultValue == null ? "" : defaultValue;
    }

    public String labelName() {
        return labelName(name);
    }

    static String labelName(String attributeKey) {
        StringBuilder b = new StringBuilder(attributeKey.length() + 1);
        if (!attributeKey.isEmpty() && attributeKey.charAt(0) >= '0' && attributeKey.charAt(0) <= '9') {
            b.append('_');
        }
        for (int i = 0; i < attributeKey.length(); i++) {
            char c = attributeKey.charAt(i);
            b.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
        }
        return b.toString();
    }
}
