package io.tracesift.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few figures the demo's progress line shows, read from the Prometheus text the instance serves on
 * {@code /metrics}: the demo watches the pipeline through the same interface a user's Prometheus scrapes.
 */
record DemoMetrics(double spansReceived, Map<String, Double> keptByRule, Map<String, Double> droppedByRule,
                   double openTraces, Set<String> tenants, double deadLetters) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    DemoMetrics {
        keptByRule = Collections.unmodifiableMap(new TreeMap<>(keptByRule));
        droppedByRule = Collections.unmodifiableMap(new TreeMap<>(droppedByRule));
        tenants = Collections.unmodifiableSet(new TreeSet<>(tenants));
    }

    /** One sample line: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static List<Sample> samples(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            try {
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            } catch (NumberFormatException notANumber) {
                // NaN and +Inf parse; anything else is not a sample line
            }
        }
        return samples;
    }

    static DemoMetrics parse(String exposition) {
        double spans = 0;
        double open = 0;
        double dlq = 0;
        Map<String, Double> kept = new TreeMap<>();
        Map<String, Double> dropped = new TreeMap<>();
        Set<String> tenants = new TreeSet<>();
        for (Sample s : samples(exposition)) {
            String tenant = s.labels().get("tenant");
            if (tenant != null && !tenant.isEmpty()) {
                tenants.add(tenant);
            }
            switch (s.name()) {
                case "tracesift_spans_received_total" -> spans += s.value();
                case "tracesift_open_traces" -> open += s.value();
                case "tracesift_dlq_records_total" -> dlq += s.value();
                case "tracesift_traces_decided_total" -> {
                    Map<String, Double> byRule = "keep".equals(s.labels().get("decision")) ? kept : dropped;
                    byRule.merge(s.labels().getOrDefault("rule", "?"), s.value(), Double::sum);
                }
                default -> {
                }
            }
        }
        return new DemoMetrics(spans, kept, dropped, open, tenants, dlq);
    }

    double kept() {
        return keptByRule.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double dropped() {
        return droppedByRule.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * e.g. "in 96 spans/s | kept 41 (error 5, probabilistic 30, slow 6) | dropped 270 (probabilistic 270) | ...": the
     * rate over the {@code seconds} since {@code previous}, or since the process started counting when there is none.
     */
    String progressLine(DemoMetrics previous, double seconds, int tenantsSeen, long gatewaySpans) {
        double before = previous == null ? 0 : previous.spansReceived;
        double rate = seconds <= 0 ? 0 : Math.max(0, spansReceived - before) / seconds;
        return String.format("in %.0f spans/s (%.0f total) | kept %.0f%s | dropped %.0f%s | open %.0f | tenants %d | DLQ %.0f"
                        + " | gateway %d spans",
                rate, spansReceived, kept(), byRule(keptByRule), dropped(), byRule(droppedByRule), openTraces,
                tenantsSeen, deadLetters, gatewaySpans);
    }

    private static String byRule(Map<String, Double> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((rule, count) -> parts.add(rule + " " + String.format("%.0f", count)));
        return " (" + String.join(", ", parts) + ")";
    }
}
