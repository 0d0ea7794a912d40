package io.tracesift.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tracesift.topology.DelayHistogram;
import io.tracesift.topology.PipelineCounters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The pipeline's own health, per process (no tenant label): what {@link PipelineCounters} counted in this JVM,
 * under the names the shipped pipeline dashboard queries ({@code helm/tracesift/dashboards/README.md}).
 */
public final class PipelineCollector implements MultiCollector {
    private final PipelineCounters counters;
    private final LongSupplier clockMs;

    public PipelineCollector(PipelineCounters counters) {
        this(counters, System::currentTimeMillis);
    }

    PipelineCollector(PipelineCounters counters, LongSupplier clockMs) {
        this.counters = counters;
        this.clockMs = clockMs;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(counter("tracesift_spans_received_total", "Spans decoded from input records, valid or not.",
                Labels.EMPTY, counters.spansIn()));
        out.add(counter("tracesift_spans_accepted_total", "Spans that passed validation and tenant resolution.",
                Labels.EMPTY, counters.spansAccepted()));
        out.add(byLabel("tracesift_spans_dropped_total", "Spans dropped at ingest on purpose (flag-disabled service), by reason.",
                "reason", counters.spansDroppedByReason()));
        out.add(byLabel("tracesift_ingest_records_total", "Input records by ingest path: scanned from the bytes, or fully"
                + " decoded (rejections, redactions, dropped services, JSON).", "path", counters.recordsByIngestPath()));
        out.add(byLabel("tracesift_span_groups_total", "Span groups by route to their assembly task: local (already on"
                + " their trace's partition) or through the repartition topic.", "route", counters.spanGroupsByRoute()));
        out.add(byLabel("tracesift_dlq_records_total", "Records sent to the DLQ, by tracesift.dlq.reason.", "reason",
                counters.deadLettersByReason()));
        out.add(byLabel("tracesift_redacted_values_total", "Attribute values replaced by redaction, by rule.", "rule",
                counters.redactionsByRule()));
        out.add(byDecision("tracesift_traces_decided_total", "Traces decided, by decision and rule.",
                counters.keptByRule(), counters.droppedByRule()));
        out.add(byDecision("tracesift_spans_decided_total", "Spans of the decided traces, by decision and rule.",
                counters.keptSpansByRule(), counters.droppedSpansByRule()));
        out.add(CounterSnapshot.builder().name("tracesift_late_spans_total")
                .help("Spans that arrived after their trace's decision, by that decision.")
                .dataPoint(point(Labels.of("decision", "keep"), counters.lateSpansKept()))
                .dataPoint(point(Labels.of("decision", "drop"), counters.lateSpansDropped())).build());
        out.add(counter("tracesift_truncated_spans_total", "Spans not stored because their trace reached max-spans-per-trace.",
                Labels.EMPTY, counters.truncatedSpans()));
        out.add(counter("tracesift_output_records_total", "Records written to traces.<tenant> (chunks count one each).",
                Labels.EMPTY, counters.outputRecords()));
        out.add(gauge("tracesift_young_window_bytes", "Bytes of span groups held in memory by the span store's young"
                + " window (assembly.young-window-bytes), values and per-entry overhead.", counters.youngWindowBytes()));
        out.add(byLabel("tracesift_young_window_written_below_bytes_total", "Bytes the young window moved to RocksDB, by"
                + " reason: budget (past its share: a larger window saves RocksDB writes and reads), long-trace, checkpoint.",
                "reason", counters.youngWindowWrittenBelow()));

        Collection<PipelineCounters.TaskGauges> tasks = counters.taskGauges().values();
        long now = clockMs.getAsLong();
        long open = 0;
        long oldestAgeMs = 0;
        long lagMs = 0;
        for (PipelineCounters.TaskGauges t : tasks) {
            open += t.openTraces();
            if (t.openTraces() > 0) {
                oldestAgeMs = Math.max(oldestAgeMs, now - t.oldestFirstSeenMs());
            }
            lagMs = Math.max(lagMs, t.punctuationLagMs());
        }
        out.add(gauge("tracesift_open_traces", "Traces being assembled by this instance's tasks (as of each task's last punctuation).", open));
        out.add(gauge("tracesift_oldest_open_trace_age_seconds", "Age of the oldest open trace since its first span arrived.",
                oldestAgeMs / 1000.0));
        out.add(gauge("tracesift_punctuation_lag_seconds", "How much later than scheduled the decision punctuator last ran.",
                lagMs / 1000.0));
        out.add(delayHistogram(counters.decisionDelay()));
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot.CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterSnapshot counter(String name, String help, Labels labels, long value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(point(labels, value)).build();
    }

    private static CounterSnapshot byLabel(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(point(Labels.of(label, k), v)));
        return b.build();
    }

    private static CounterSnapshot byDecision(String name, String help, Map<String, Long> kept, Map<String, Long> dropped) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        kept.forEach((rule, v) -> b.dataPoint(point(Labels.of("decision", "keep", "rule", rule), v)));
        dropped.forEach((rule, v) -> b.dataPoint(point(Labels.of("decision", "drop", "rule", rule), v)));
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot delayHistogram(DelayHistogram h) {
        double[] bounds = new double[DelayHistogram.BOUNDS.length + 1];
        System.arraycopy(DelayHistogram.BOUNDS, 0, bounds, 0, DelayHistogram.BOUNDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name("tracesift_decision_delay_seconds")
                .help("From a trace's due time (root arrival + send-delay, max age or idle timeout) to its decision.")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.bucketCounts()))
                        .sum(h.sumSeconds()).build())
                .build();
    }
}
