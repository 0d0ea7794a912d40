package io.tracesift.topology;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.aggregation.Exemplar;
import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.SpanSeries;
import io.tracesift.sampling.SamplingEngine;
import io.tracesift.serdes.TraceIds;
import io.tracesift.tenantrouting.TenantId;

import com.google.protobuf.ByteString;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.util.List;

/**
 * Span, agent and workflow metrics of every accepted span, at ingest (before sampling), into the task's
 * {@link MetricsStores#SPAN_METRICS_STORE}. Increments are summed in memory and each touched series is read and
 * written once per commit ({@link SeriesBufferStore}).
 *
 * <p>Exemplars: a span's ids become one only when the tenant's sampling chain keeps the trace made of that
 * span alone (with the tenant's sampling override, as the assembler decides). For chains of error, latency (without per-operation overrides), probabilistic (a function of the
 * trace id) and keep-action attribute policies, the whole trace is then kept as well, so the exemplar points at
 * a trace that exists. That check runs only when a histogram series wants a new exemplar
 * ({@link io.tracesift.aggregation.SeriesAccumulator.Series#wantsExemplar}), not for every span.
 */
final class SpanMetricsRecorder {
    private final MetricsAggregator aggregator;
    private final SamplingEngine sampling;
    private final TenantDirectory tenants;
    private SpanSeries series;
    private ProcessorContext<?, ?> context;
    /** The last span's trace id and its hex form: the spans of one record mostly share one trace. */
    private ByteString lastTraceId = ByteString.EMPTY;
    private String lastTraceIdHex;
    /** The last span's resource and its service name: looked up once per resource, not per span. */
    private ResourceSpans lastResource;
    private String lastService;

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
        this.context = context;
        if (aggregator != null) {
            series = aggregator.spanSeries(MetricsStores.accumulator(context, MetricsStores.SPAN_METRICS_STORE, aggregator));
        }
    }

    /** One accepted span (after redaction), decoded: its increments, summed in memory and written at the task's commit. */
    void span(TenantId tenant, ResourceSpans rs, ScopeSpans ss, Span span) {
        if (aggregator == null) {
            return;
        }
        if (rs != lastResource) {
            lastResource = rs;
            lastService = AssembledSpan.serviceOf(rs);
        }
        record(tenant, new AssembledSpan(rs, ss, span, lastService), span.getTraceId());
    }

    /** One accepted span read from the record's bytes, as {@link #span(TenantId, ResourceSpans, ScopeSpans, Span)}. */
    void span(TenantId tenant, StoredSpan span) {
        if (aggregator != null) {
            record(tenant, span, span.facts().traceId());
        }
    }

    private void record(TenantId tenant, TraceSpan s, ByteString traceId) {
        series.record(SpanSamples.of(tenant.value(), s, null, false),
                (value, epochMillis) -> exemplar(tenant, s, traceId, value, epochMillis), context.currentSystemTimeMs());
    }

    /** The span as an exemplar if the trace made of it alone is kept, else null. */
    private Exemplar exemplar(TenantId tenant, TraceSpan s, ByteString traceId, double value, long epochMillis) {
        // The same chain the assembler will use for this tenant (its registry override, if any).
        String traceIdHex = traceIdHex(traceId);
        boolean kept = sampling.decide(new AssembledTrace(tenant.value(), traceIdHex, List.of(s)),
                tenants.samplingOverride(tenant)).kept();
        return kept ? new Exemplar(traceIdHex, s.spanIdHex(), value, epochMillis) : null;
    }

    private String traceIdHex(ByteString traceId) {
        if (!traceId.equals(lastTraceId)) {
            lastTraceId = traceId;
            lastTraceIdHex = TraceIds.toHex(traceId);
        }
        return lastTraceIdHex;
    }
}
