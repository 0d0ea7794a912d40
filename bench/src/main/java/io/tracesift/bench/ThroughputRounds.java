package io.tracesift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rounds that c/a, c/b and the metrics cost compare, run in turns over the same input so that every kind of run
 * sees about the same machine load: per round (a) the plain consumer, (c) tracesift with the repartition skipped,
 * the same without metrics, and tracesift with the repartition. On a shared two-core machine one run can be a
 * third slower than the next, so the ratios compare medians over the rounds rather than any single run.
 *
 * @param baseline      (a), in run order
 * @param skip          (c) with the repartition skipped, metrics on
 * @param skipNoMetrics the same with metrics off; {@code skipNoMetrics.get(i)} ran right after {@code skip.get(i)}
 * @param repartition   (c) with the repartition
 */
record ThroughputRounds(List<PhaseResult> baseline, List<PhaseResult> skip, List<PhaseResult> skipNoMetrics,
                        List<PhaseResult> repartition) {
    ThroughputRounds {
        int n = baseline.size();
        if (n == 0 || skip.size() != n || skipNoMetrics.size() != n || repartition.size() != n) {
            throw new IllegalArgumentException("every kind of run needs the same number of rounds, at least one: "
                    + List.of(baseline.size(), skip.size(), skipNoMetrics.size(), repartition.size()));
        }
        baseline = List.copyOf(baseline);
        skip = List.copyOf(skip);
        skipNoMetrics = List.copyOf(skipNoMetrics);
        repartition = List.copyOf(repartition);
    }

    MetricsCost metricsCost() {
        return new MetricsCost(skip, skipNoMetrics);
    }

    /** Every run in run order. */
    List<PhaseResult> all() {
        List<PhaseResult> all = new ArrayList<>();
        for (int i = 0; i < baseline.size(); i++) {
            all.addAll(List.of(baseline.get(i), skip.get(i), skipNoMetrics.get(i), repartition.get(i)));
        }
        return all;
    }

    static double medianSpansPerSecond(List<PhaseResult> runs) {
        return median(runs, PhaseResult::spansPerSecond);
    }

    static double median(List<PhaseResult> runs, Function<PhaseResult, Double> figure) {
        double[] values = runs.stream().mapToDouble(figure::apply).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** What the ratios compare, with every round's figure. */
    String describe() {
        return String.format(Locale.ROOT, "c/a and c/b compare median spans/s of %d rounds: a %s (median %,.0f), c skipped %s"
                        + " (median %,.0f), c with repartition %s (median %,.0f)", baseline.size(), figures(baseline),
                medianSpansPerSecond(baseline), figures(skip), medianSpansPerSecond(skip), figures(repartition),
                medianSpansPerSecond(repartition));
    }

    private static String figures(List<PhaseResult> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.spansPerSecond()))
                .collect(Collectors.joining(" / "));
    }
}
