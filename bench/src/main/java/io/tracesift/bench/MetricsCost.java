package io.tracesift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Issue 5 point 9, the cost of metrics: tracesift runs over the same input with metrics on and off, one of each per
 * round so that each pair sees about the same machine load, compared by CPU per span. Which of the two runs first
 * turns from round to round ({@link ThroughputRounds#order}).
 *
 * <p>The share compares the CPU until every trace was decided ({@link PhaseResult#cpuMicrosPerSpanToDecided}): all
 * the work of the same input, on both sides. The CPU while the input is read (the measure until session 30) leaves
 * out the decisions that fall due after the last span is read, and a run without metrics reads faster, so it left
 * out more of them; that figure is still shown, for comparison with earlier runs.
 *
 * @param on  the runs with metrics, in run order
 * @param off the runs without, in run order; {@code off.get(i)} ran in the same round as {@code on.get(i)}
 */
record MetricsCost(List<PhaseResult> on, List<PhaseResult> off) {
    private static final Function<PhaseResult, Double> UNTIL_DECIDED = PhaseResult::cpuMicrosPerSpanToDecided;
    private static final Function<PhaseResult, Double> WHILE_READING = PhaseResult::cpuMicrosPerSpan;

    MetricsCost {
        if (on.isEmpty() || on.size() != off.size()) {
            throw new IllegalArgumentException("need as many runs with metrics as without, at least one: " + on.size()
                    + " and " + off.size());
        }
        on = List.copyOf(on);
        off = List.copyOf(off);
    }

    /** (on - off) / on of each side's median CPU us/span until decided: the share of the pipeline's CPU metrics take. */
    double share() {
        return share(UNTIL_DECIDED);
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
        return pairwise(UNTIL_DECIDED);
    }

    /** The median metrics-off CPU us/span until decided: what the code alone is compared with. */
    double offMedian() {
        return ThroughputRounds.median(off, UNTIL_DECIDED);
    }

    /** What the share compares, with every run's figure, and the same while the input was read. */
    String describe() {
        return String.format(Locale.ROOT, "metrics CPU share = (on - off) / on of the median CPU us/span until every trace"
                        + " was decided, of %d skip-repartition runs each, one of each per round: %s; while reading the"
                        + " input (the measure until session 30): %s",
                on.size(), describe(UNTIL_DECIDED), describe(WHILE_READING));
    }

    private String describe(Function<PhaseResult, Double> cpu) {
        return String.format(Locale.ROOT, "on %s (median %.2f), off %s (median %.2f), share %.3f, pairwise %s",
                figures(on, cpu), ThroughputRounds.median(on, cpu), figures(off, cpu), ThroughputRounds.median(off, cpu),
                share(cpu),
                pairwise(cpu).stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).collect(Collectors.joining(", ")));
    }

    private double share(Function<PhaseResult, Double> cpu) {
        double medianOn = ThroughputRounds.median(on, cpu);
        return (medianOn - ThroughputRounds.median(off, cpu)) / medianOn;
    }

    private List<Double> pairwise(Function<PhaseResult, Double> cpu) {
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < on.size(); i++) {
            double cpuOn = cpu.apply(on.get(i));
            shares.add((cpuOn - cpu.apply(off.get(i))) / cpuOn);
        }
        return shares;
    }

    private static String figures(List<PhaseResult> runs, Function<PhaseResult, Double> cpu) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", cpu.apply(r))).collect(Collectors.joining(", "));
    }
}
