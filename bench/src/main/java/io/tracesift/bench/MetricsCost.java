package io.tracesift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Issue 5 point 9, the cost of metrics: tracesift runs over the same input with metrics on and off, one of each per
 * round so that each pair sees about the same machine load, compared by CPU per span. Which of the two runs first
 * turns from round to round ({@link ThroughputRounds#order}).
 *
 * @param on  the runs with metrics, in run order
 * @param off the runs without, in run order; {@code off.get(i)} ran in the same round as {@code on.get(i)}
 */
record MetricsCost(List<PhaseResult> on, List<PhaseResult> off) {
    MetricsCost {
        if (on.isEmpty() || on.size() != off.size()) {
            throw new IllegalArgumentException("need as many runs with metrics as without, at least one: " + on.size()
                    + " and " + off.size());
        }
        on = List.copyOf(on);
        off = List.copyOf(off);
    }

    /** (on - off) / on of the median CPU us/span of each side: the share of the pipeline's CPU metrics take. */
    double share() {
        double medianOn = median(on);
        return (medianOn - median(off)) / medianOn;
    }

    /**
     * The share the 1 % target is judged by, given the metrics code's cost alone as a share ({@link
     * MetricsCodeCost#shareOf}): that cost is a lower bound of the share, so a measured share below it is the rounds'
     * noise, and the bound is the surer figure.
     */
    double judgedShare(double codeAloneShare) {
        return Math.max(share(), codeAloneShare);
    }

    /** The same share for each round's pair (on run i and off run i). */
    List<Double> pairwise() {
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < on.size(); i++) {
            double cpuOn = on.get(i).cpuMicrosPerSpan();
            shares.add((cpuOn - off.get(i).cpuMicrosPerSpan()) / cpuOn);
        }
        return shares;
    }

    /** What the share compares, with every run's figure. */
    String describe() {
        return String.format(Locale.ROOT, "metrics CPU share = (on - off) / on of the median CPU us/span of %d"
                        + " skip-repartition runs each, one of each per round: on %s (median %.2f), off %s (median %.2f); share %.3f, pairwise %s",
                on.size(), figures(on), median(on), figures(off), median(off), share(),
                pairwise().stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).collect(Collectors.joining(", ")));
    }

    private static String figures(List<PhaseResult> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.cpuMicrosPerSpan()))
                .collect(Collectors.joining(", "));
    }

    static double median(List<PhaseResult> runs) {
        return ThroughputRounds.median(runs, PhaseResult::cpuMicrosPerSpan);
    }
}
