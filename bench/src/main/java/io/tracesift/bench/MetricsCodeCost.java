package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.aggregation.AgentMetrics;
import io.tracesift.aggregation.ExemplarSource;
import io.tracesift.aggregation.HeapSeriesStore;
import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.MetricsConfig;
import io.tracesift.aggregation.SeriesAccumulator;
import io.tracesift.aggregation.SpanMetrics;
import io.tracesift.aggregation.SpanSample;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.RequestScanner;
import io.tracesift.serdes.ScannedSpan;
import io.tracesift.serdes.SpanOrigin;
import io.tracesift.tenantrouting.Redactor;
import io.tracesift.topology.SpanSamples;
import io.tracesift.topology.StoredSpan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Issue 5 point 9 from below: the span, agent and workflow metrics code alone, on one thread, over spans scanned
 * from encoded records as ingest scans them, with default metrics settings and an in-memory store. As in ingest,
 * each record's scan and redaction check run first, in both the measured and the baseline pass, so the metrics code
 * reads span bytes the redaction check has just read, not bytes fetched from memory for it alone (that cost ~90
 * ns/span more, which ingest does not pay). The bench's
 * on/off share moves by more than ten points between runs of the same code; this figure is steady, and a lower
 * bound of what metrics cost the pipeline (no service graph, no commit writes, caches warm). What ingest does with
 * metrics off as well (the resource's service name, looked up for the tenant rules, and holding each span as a
 * {@link StoredSpan}) is in both passes: until session 23 it was counted as metrics, about half of the figure.
 *
 * @param nanosPerSpan       median over rounds of (scan, redaction check and metrics) minus (scan and redaction
 *                           check), per span
 * @param ingestNanosPerSpan median over rounds of the pass without metrics, per span: what ingest does to every span
 *                           of a record it passes on as bytes, before metrics and the stores
 * @param redNanosPerSpan    the same as {@code nanosPerSpan} for the span metrics alone (Tempo's calls, size and latency
 *                           series, point 1), which look up no attribute with the default settings: the floor of any
 *                           per-span metrics
 * @param agentNanosPerSpan  the same for the agent and workflow metrics alone (point 3), which ask every span for its
 *                           GenAI operation
 * @param spans              spans per round
 * @param rounds             rounds measured (after as many unmeasured ones, for the JIT)
 */
record MetricsCodeCost(double nanosPerSpan, double ingestNanosPerSpan, double redNanosPerSpan,
                       double agentNanosPerSpan, long spans, int rounds) {
    /** Ingest's redaction check with the default configuration. */
    private static final Redactor REDACTOR = Redactor.defaults();

    /** Measures over the records {@code source} writes (kept in memory: size the source accordingly). */
    static MetricsCodeCost measure(InputTopic.Source source, int rounds) {
        List<byte[]> records = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        long[] spans = {0};
        source.writeTo(new InputTopic.Writer() {
            @Override
            public void write(String tenant, String traceIdHex, ExportTraceServiceRequest request, int spanCount) {
                records.add(request.toByteArray());
                tenants.add(tenant);
                spans[0] += spanCount;
            }

            @Override
            public void traceDone() {
            }
        });
        MetricsConfig config = MetricsConfig.defaults();
        MetricsAggregator aggregator = new MetricsAggregator(config);
        SeriesAccumulator all = aggregator.accumulator(new HeapSeriesStore());
        SeriesAccumulator red = aggregator.accumulator(new HeapSeriesStore());
        SeriesAccumulator agents = aggregator.accumulator(new HeapSeriesStore());
        // Exemplars are left out: ingest asks for one at most 64 times per series per 15 s.
        List<Recorder> recorders = List.of(aggregator.spanSeries(all)::record,
                new SpanMetrics(config.dimensions(), config.histogramBuckets(), red)::record,
                new AgentMetrics(config.workflowAttribute(), config.histogramBuckets(), agents)::record);
        double[][] costs = new double[recorders.size()][rounds];
        double[] baselines = new double[rounds];
        for (int round = -rounds; round < rounds; round++) {
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            long sink = scan(records, tenants, null, now);
            long baseline = System.nanoTime() - t0;
            for (int r = 0; r < recorders.size(); r++) {
                long t1 = System.nanoTime();
                sink += scan(records, tenants, recorders.get(r), now);
                long t2 = System.nanoTime();
                if (round >= 0) {
                    costs[r][round] = ((t2 - t1) - baseline) / (double) spans[0];
                }
            }
            all.flush();
            red.flush();
            agents.flush();
            if (sink == 42) {
                throw new IllegalStateException("unreachable: keeps the scans from being optimised away");
            }
            if (round >= 0) {
                baselines[round] = baseline / (double) spans[0];
            }
        }
        return new MetricsCodeCost(median(costs[0]), median(baselines), median(costs[1]), median(costs[2]), spans[0],
                rounds);
    }

    /** Records one span's metrics, as {@link io.tracesift.aggregation.SpanSeries#record} does. */
    @FunctionalInterface
    private interface Recorder {
        void record(SpanSample span, ExemplarSource exemplars, long nowMillis);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Scans and checks every record for redaction, and holds each span as ingest does with metrics off (its
     * resource's service name, looked up once per resource for the tenant rules, and a {@link StoredSpan}); with
     * {@code metrics}, also records every span's metrics as ingest does.
     */
    private static long scan(List<byte[]> records, List<String> tenants, Recorder metrics, long nowMillis) {
        long sink = 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] record = records.get(i);
            List<ScannedSpan> spans;
            try {
                spans = RequestScanner.scan(record, 0, record.length);
            } catch (OtlpDecodeException e) {
                throw new IllegalStateException("the benchmark input does not scan: " + e.getMessage(), e);
            }
            sink += REDACTOR.mayRedactRequest(record) ? 1 : 0;
            SpanOrigin resource = null;
            String service = null;
            for (ScannedSpan span : spans) {
                if (span.resource() != resource) {
                    resource = span.resource();
                    service = span.resourceAttribute("service.name") instanceof String name ? name : null;
                }
                StoredSpan stored = new StoredSpan(span, service);
                sink += stored.kind();
                if (metrics != null) {
                    metrics.record(SpanSamples.atIngest(tenants.get(i), stored), ExemplarSource.NONE, nowMillis);
                }
            }
        }
        return sink;
    }

    /** What this cost is of {@code cpuMicrosPerSpan}, the pipeline's CPU per span without metrics. */
    double shareOf(double cpuMicrosPerSpan) {
        return nanosPerSpan / 1000 / cpuMicrosPerSpan;
    }

    String describe(double metricsOffCpuMicrosPerSpan) {
        return String.format(Locale.ROOT, "metrics code in isolation: %.0f ns/span (span, agent and workflow metrics of"
                        + " %,d main-input spans as ingest scans and checks them, one thread, in-memory store, median of %d rounds),"
                        + " %.3f of the median metrics-off CPU per span until decided (%.2f us): a lower bound of the"
                        + " share, without the service graph, commit writes or cache misses",
                nanosPerSpan, spans, rounds, shareOf(metricsOffCpuMicrosPerSpan), metricsOffCpuMicrosPerSpan);
    }

    /**
     * The two kinds of per-span metrics measured apart: the span metrics alone are the floor of any per-span metrics
     * (no attribute lookup), the agent and workflow metrics are mostly the GenAI attribute lookups of every span.
     */
    String describeParts(double metricsOffCpuMicrosPerSpan) {
        return String.format(Locale.ROOT, "metrics code in isolation by part: span metrics alone (Tempo's calls, size"
                        + " and latency series; no attribute lookup) %.0f ns/span, %.3f of the median metrics-off CPU per"
                        + " span until decided; agent and workflow metrics alone (every span's GenAI attributes) %.0f"
                        + " ns/span, %.3f",
                redNanosPerSpan, redNanosPerSpan / 1000 / metricsOffCpuMicrosPerSpan,
                agentNanosPerSpan, agentNanosPerSpan / 1000 / metricsOffCpuMicrosPerSpan);
    }

    /** The pass without metrics alone: ingest's own cost per span, before the stores (no target; for comparisons). */
    String describeIngest() {
        return String.format(Locale.ROOT, "ingest code in isolation: %.0f ns/span (the same spans scanned, checked for"
                + " redaction and held with their resource's service name, without metrics, median of %d rounds)",
                ingestNanosPerSpan, rounds);
    }
}
