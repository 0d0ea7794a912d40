package io.tracesift.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns spans into series increments, as configured: per span the span metrics and the agent/workflow
 * metrics ({@link SpanSeries}, counted straight into an accumulator), per whole trace the service graph.
 * Stateless and thread-safe; add the increments to a store with {@link SeriesAccumulator}.
 */
public final class MetricsAggregator {
    private final MetricsConfig config;
    private final ServiceGraph serviceGraph;

    public MetricsAggregator(MetricsConfig config) {
        this.config = config;
        this.serviceGraph = new ServiceGraph(config.histogramBuckets());
    }

    /** The per-span metrics (span metrics, agents, tools, models, tokens, workflow runs) of one accumulator. */
    public SpanSeries spanSeries(SeriesAccumulator accumulator) {
        double[] buckets = config.histogramBuckets();
        return new SpanSeries(new SpanMetrics(config.dimensions(), buckets, accumulator),
                new AgentMetrics(config.workflowAttribute(), buckets, accumulator));
    }

    /**
     * Increments for one whole trace: its service-graph edges and unpaired spans. Only its server, client, producer
     * and consumer spans count; spans of other kinds may be left out of {@code trace}.
     */
    public List<SeriesUpdate> traceUpdates(List<SpanSample> trace) {
        List<SeriesUpdate> out = new ArrayList<>();
        serviceGraph.addUpdates(trace, out);
        return out;
    }

    /** An accumulator over one store, with this configuration's cardinality limit. */
    public SeriesAccumulator accumulator(SeriesStore store) {
        return new SeriesAccumulator(store, config.cardinalityLimit());
    }
}
