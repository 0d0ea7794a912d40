package io.tracesift.topology;

import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.ServiceGraph;
import io.tracesift.aggregation.SpanSample;
import io.tracesift.sampling.Decision;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Service-graph edges of every decided trace, kept or dropped, into the task's
 * {@link MetricsStores#TRACE_METRICS_STORE}; exemplars only from kept traces.
 */
final class TraceMetricsRecorder {
    private final MetricsAggregator aggregator;
    private ServiceGraph graph;
    private ProcessorContext<?, ?> context;

    private TraceMetricsRecorder(MetricsAggregator aggregator) {
        this.aggregator = aggregator;
    }

    static TraceMetricsRecorder of(TopologySettings settings) {
        MetricsSettings metrics = settings.metrics();
        return new TraceMetricsRecorder(metrics.enabled() ? new MetricsAggregator(metrics.config()) : null);
    }

    void init(ProcessorContext<?, ?> context) {
        this.context = context;
        if (aggregator != null) {
            graph = aggregator.serviceGraph(MetricsStores.accumulator(context, MetricsStores.TRACE_METRICS_STORE, aggregator));
        }
    }

    void decided(StoredTrace trace, Decision decision) {
        if (aggregator == null) {
            return;
        }
        List<SpanSample> samples = new ArrayList<>(trace.storedSpans().size());
        for (StoredSpan s : trace.storedSpans()) {
            // The service graph is made of client, server, producer and consumer spans only: others are left out.
            if (s.kind() >= SpanSample.KIND_SERVER && s.kind() <= SpanSample.KIND_CONSUMER) {
                samples.add(SpanSamples.of(trace.tenant(), s, trace.traceIdHex(), decision.kept()));
            }
        }
        graph.record(samples, context.currentSystemTimeMs());
    }
}
