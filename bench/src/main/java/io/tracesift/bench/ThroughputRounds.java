package io.tracesift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rounds that c/a, c/b and the metrics cost compare, run in turns over the same input so that every kind of run
 * sees about the same machine load: per round (a) the plain consumer, then the three kinds of tracesift run
 * ({@link Kind}) in the round's {@link #order}. On a shared two-core machine one run can be a third slower than the
 * next, so the ratios compare medians over the rounds rather than any single run.
 *
 * @param baseline      (a), in run order
 * @param skip          (c) with the repartition skipped, metrics on
 * @param skipNoMetrics the same with metrics off
 * @param repartition   (c) with the repartition
 */
record ThroughputRounds(List<PhaseResult> baseline, List<PhaseResult> skip, List<PhaseResult> skipNoMetrics,
                        List<PhaseResult> repartition) {
    /** The kinds of tracesift run in a round: the phase's name (before a round's suffix) and its settings. */
    enum Kind {
        SKIP("tracesift-skip-repartition", true, true),
        SKIP_NO_METRICS("tracesift-skip-repartition-metrics-off", true, false),
        REPARTITION("tracesift-repartition", false, true);

        final String phase;
        final boolean skipRepartition;
        final boolean metrics;

        Kind(String phase, boolean skipRepartition, boolean metrics) {
            this.phase = phase;
            this.skipRepartition = skipRepartition;
            this.metrics = metrics;
        }
    }

    /**
     * The order of the tracesift runs in round {@code round} (from 0): the first order turned left once per round, so
     * that over three rounds each kind runs once first, once second and once third. The run right after the consumer
     * was the slowest of its round whichever kind it was (with metrics on and off swapped, metrics came out 10 %
     * cheaper than free): in a fixed order that slot's cost was charged to one kind, metrics above all.
     */
    static List<Kind> order(int round) {
        Kind[] kinds = Kind.values();
        List<Kind> order = new ArrayList<>(kinds.length);
        for (int i = 0; i < kinds.length; i++) {
            order.add(kinds[(i + round) % kinds.length]);
        }
        return order;
    }

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
            all.add(baseline.get(i));
            for (Kind kind : order(i)) {
                all.add(runs(kind).get(i));
            }
        }
        return all;
    }

    private List<PhaseResult> runs(Kind kind) {
        return switch (kind) {
            case SKIP -> skip;
            case SKIP_NO_METRICS -> skipNoMetrics;
            case REPARTITION -> repartition;
        };
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
