package io.tracesift.kafkalocal.prometheus;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL query of a Grafana dashboard panel ({@code targets[].expr}), as written, with Grafana's variables.
 *
 * @param source     the dashboard file name (or {@code grafana-tempo-datasource} for Grafana's built-in queries)
 * @param panelTitle the panel's title
 * @param refId      the target's refId (A, B, ...)
 * @param expr       the query text with {@code $variables}
 */
public record DashboardQuery(String source, String panelTitle, String refId, String expr) {
    /** {@code $name}, {@code ${name}} and {@code ${name:format}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)(?::\\w+)?}|(\\w+))");
    /** The range Grafana's interval variables stand for in {@link #promql()}: long enough for rate() over 1 s scrapes. */
    public static final String DEFAULT_RANGE = "1m";

    /** The query as Prometheus would receive it with every variable set to "all" ({@code .*}) and ranges of 1m. */
    public String promql() {
        return promql(Map.of());
    }

    /**
     * The query with variables replaced: {@code values} first (e.g. {@code tenant -> acme}), then
     * {@code $__rate_interval}, {@code $__interval} and {@code $__range} by {@value #DEFAULT_RANGE}, then every other
     * variable by {@code .*} (the dashboards use variables only in regex matchers).
     */
    public String promql(Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = values.get(name);
            if (value == null) {
                value = name.startsWith("__") ? DEFAULT_RANGE : ".*";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Names of the variables the query uses, built-in ones ({@code __range}) included. */
    public Set<String> variables() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(expr);
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return names;
    }

    @Override
    public String toString() {
        return source + " / " + panelTitle + " / " + refId + ": " + expr;
    }
}
