package io.tracesift.topology;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.SeriesAccumulator;
import io.tracesift.aggregation.SeriesUpdate;
import io.tracesift.sampling.SamplingEngine;
import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Span, agent and workflow metrics of every accepted span, at ingest (before sampling), into the task's
 * {@link MetricsStores#SPAN_METRICS_STORE}. The updates of one input record are added in one call, so each
 * series is read and written once per record.
 *
 * <p>Exemplars: a span's ids become one only when the tenant's sampling chain keeps the trace made of that
 * span alone (with the tenant's sampling override, as the assembler decides). For chains of error, latency (without per-operation overrides), probabilistic (a function of the
 * trace id) and keep-action attribute policies, the whole trace is then kept as well, so the exemplar points at
 * a trace that exists.
 */
final class SpanMetricsRecorder {
    private final MetricsAggregator aggregator;
    private final SamplingEngine sampling;
    private final TenantDirectory tenants;
    private final List<SeriesUpdate> pending = new ArrayList<>();
    private SeriesAccumulator accumulator;

    private SpanMetricsRecorder(MetricsAggregator aggregator, SamplingEngine sampling, TenantDirectory tenants) {
        this.aggregator = aggregator;
        this.sampling = sampling;
        this.tenants = tenants;
    }

    /** A recorder for the settings; one that does nothing when metrics are off. */
    static SpanMetricsRecorder of(TopologySettings settings, TenantDirectory tenants) {
        MetricsSettings metrics = settings.metrics();
        return new SpanMetricsRecorder(metrics.enabled() ? new MetricsAggregator(metrics.config()) : null,
                settings.samplingEngine(), tenants);
    }

    void init(ProcessorContext<?, ?> context) {
        if (aggregator != null) {
            accumulator = aggregator.accumulator(MetricsStores.seriesStore(context.getStateStore(MetricsStores.SPAN_METRICS_STORE)));
        }
    }

    /** One accepted span (after redaction), to be added with the rest of its record by {@link #flush()}. */
    void span(TenantId tenant, ResourceSpans rs, ScopeSpans ss, Span span) {
        if (aggregator == null) {
            return;
        }
        AssembledSpan s = new AssembledSpan(rs, ss, span);
        String traceIdHex = HexFormat.of().formatHex(span.getTraceId().toByteArray());
        // The same chain the assembler will use for this tenant (its registry override, if any).
        boolean kept = sampling.decide(new AssembledTrace(tenant.value(), traceIdHex, List.of(s)),
                tenants.samplingOverride(tenant)).kept();
        pending.addAll(aggregator.spanUpdates(SpanSamples.of(tenant.value(), s, kept, kept)));
    }

    void flush() {
        if (!pending.isEmpty()) {
            accumulator.add(pending);
            pending.clear();
        }
    }
}
