package io.tracesift.bench;

import java.util.Locale;

/** How the main input's spans are cut into Kafka records (see BENCHMARKS.md, "What one run does"). */
public enum InputGrouping {
    /** The generator's batches as they are: a workflow's spans of one 5 s window in one record (runs 1 to 3). */
    WORKFLOW,
    /** One record per trace per service export: each service's SDK exports on its own schedule (the default). */
    SERVICE;

    /** @throws IllegalArgumentException naming the option and the valid values */
    public static InputGrouping parse(String text) {
        for (InputGrouping grouping : values()) {
            if (grouping.name().toLowerCase(Locale.ROOT).equals(text)) {
                return grouping;
            }
        }
        throw new IllegalArgumentException("--grouping " + text + " is not a grouping; use workflow or service");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
