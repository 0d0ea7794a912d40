package io.tracesift.aggregation;

/**
 * The configured metrics, counted into an accumulator over one store: per span the span metrics and the
 * agent/workflow metrics ({@link SpanSeries}), per whole trace the service graph ({@link ServiceGraph}). Immutable
 * and thread-safe; what it makes for an accumulator is not.
 */
public final class MetricsAggregator {
    private final MetricsConfig config;

    public MetricsAggregator(MetricsConfig config) {
        this.config = config;
    }

    /** The per-span metrics (span metrics, agents, tools, models, tokens, workflow runs) of one accumulator. */
    public SpanSeries spanSeries(SeriesAccumulator accumulator) {
        double[] buckets = config.histogramBuckets();
        return new SpanSeries(new SpanMetrics(config.dimensions(), buckets, accumulator),
                new AgentMetrics(config.workflowAttribute(), buckets, accumulator));
    }

    /** The service graph of whole traces, counted into one accumulator. */
    public ServiceGraph serviceGraph(SeriesAccumulator accumulator) {
        return new ServiceGraph(config.histogramBuckets(), accumulator);
    }

    /** An accumulator over one store, with this configuration's cardinality limit. */
    public SeriesAccumulator accumulator(SeriesStore store) {
        return new SeriesAccumulator(store, config.cardinalityLimit());
    }
}
