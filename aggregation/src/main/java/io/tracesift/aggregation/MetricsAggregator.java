package io.tracesift.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns spans into series increments, as configured: per span the span metrics and the agent/workflow
 * metrics, per whole trace the service graph. Stateless and thread-safe; add the increments to a store with
 * {@link SeriesAccumulator}.
 */
public final class MetricsAggregator {
    private final SpanMetrics spanMetrics;
    private final AgentMetrics agentMetrics;
    private final ServiceGraph serviceGraph;
    private final int cardinalityLimit;

    public MetricsAggregator(MetricsConfig config) {
        double[] buckets = config.histogramBuckets();
        this.spanMetrics = new SpanMetrics(config.dimensions(), buckets);
        this.agentMetrics = new AgentMetrics(config.workflowAttribute(), buckets);
        this.serviceGraph = new ServiceGraph(buckets);
        this.cardinalityLimit = config.cardinalityLimit();
    }

    /** Increments for one span: span metrics, agents, tools, models, tokens, workflow runs. */
    public List<SeriesUpdate> spanUpdates(SpanSample span) {
        List<SeriesUpdate> out = new ArrayList<>(4);
        spanMetrics.addUpdates(span, out);
        agentMetrics.addUpdates(span, out);
        return out;
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
        return new SeriesAccumulator(store, cardinalityLimit);
    }
}
