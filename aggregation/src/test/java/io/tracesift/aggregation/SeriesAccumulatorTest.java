package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class SeriesAccumulatorTest {
    final MetricsConfig config = new MetricsConfig(List.of(), 3, "workflow.type", new double[]{0.05, 0.5, 5});
    final MetricsAggregator aggregator = new MetricsAggregator(config);

    /** Counts one span as the topology does, its exemplar from the sample's own ids. */
    void record(SeriesAccumulator acc, SpanSample span) {
        aggregator.spanSeries(acc).record(span, ExemplarSource.of(span), 0);
    }

    static SeriesKey calls(String tenant, String service) {
        return SeriesKey.of(tenant, "traces_spanmetrics_calls_total", "service", service, "span_name", "GET /cart",
                "span_kind", "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_UNSET");
    }

    @Test
    void incrementsAddUpExactly() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = aggregator.accumulator(store);
        for (int i = 0; i < 1000; i++) {
            record(acc, span().durationMillis(i % 3 == 0 ? 10 : 1000).size(10).build());
        }
        assertThat(store.counter(calls("acme", "checkout"))).as("nothing is written before the flush").isZero();
        acc.flush();
        assertThat(store.counter(calls("acme", "checkout"))).isEqualTo(1000);
        HistogramValue latency = (HistogramValue) store.get(new SeriesKey("acme", "traces_spanmetrics_latency", calls("acme", "checkout").labels()));
        assertThat(latency.bucketCounts()).containsExactly(334, 0, 666, 0);
        assertThat(store.counter(new SeriesKey("acme", "traces_spanmetrics_size_total", calls("acme", "checkout").labels()))).isEqualTo(10_000);
    }

    @Test
    void spansBeyondTheLimitAreCountedInTheOverflowSeriesAndTheOverflowCounter() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = aggregator.accumulator(store);
        for (String service : List.of("a", "b", "c", "d", "e", "d", "a")) {
            record(acc, span().service(service).build());
        }
        acc.flush();
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(2);
        assertThat(store.counter(calls("acme", "d"))).isZero();
        assertThat(store.counter(SeriesKey.of("acme", "traces_spanmetrics_calls_total", "otel_metric_overflow", "true"))).isEqualTo(3);
        assertThat(store.counter(SeriesKey.of("acme", "tracesift_metrics_overflow_total", "metric", "traces_spanmetrics_calls_total"))).isEqualTo(3);
        assertThat(store.counter(SeriesKey.of("acme", "tracesift_metrics_overflow_total", "metric", "traces_spanmetrics_latency"))).isEqualTo(3);
        HistogramValue overflowLatency = (HistogramValue) store.get(SeriesKey.of("acme", "traces_spanmetrics_latency", "otel_metric_overflow", "true"));
        assertThat(overflowLatency.count()).isEqualTo(3);
        assertThat(acc.seriesCount("acme", "traces_spanmetrics_calls_total")).isEqualTo(3);
    }

    @Test
    void incrementsUntilTheFlushAreSummedBeforeTouchingTheStore() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        int[] reads = {0};
        SeriesStore counting = new SeriesStore() {
            public byte[] get(byte[] key) { reads[0]++; return store.get(key); }
            public void put(byte[] key, byte[] value) { store.put(key, value); }
            public void forEachKey(java.util.function.Consumer<byte[]> action) { store.forEachKey(action); }
        };
        SeriesAccumulator acc = new SeriesAccumulator(counting, 3);
        SpanSeries series = aggregator.spanSeries(acc);
        List<String> services = List.of("a", "b", "c", "d", "d", "e", "a", "a");
        services.forEach(service -> series.record(span().service(service).size(1000).build(), ExemplarSource.NONE, 0));
        acc.flush();
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(3);
        assertThat(store.counter(SeriesKey.of("acme", "traces_spanmetrics_calls_total", "otel_metric_overflow", "true"))).isEqualTo(3);
        assertThat(store.counter(SeriesKey.of("acme", "traces_spanmetrics_size_total", "otel_metric_overflow", "true"))).isEqualTo(3000);
        assertThat(store.counter(SeriesKey.of("acme", "tracesift_metrics_overflow_total", "metric", "traces_spanmetrics_size_total"))).isEqualTo(3);
        // 5 label sets x 3 families read once each, plus per family the overflow series and its counter once
        assertThat(reads[0]).isEqualTo(15 + 2 * 3);
        assertThat(acc.seriesCount("acme", "traces_spanmetrics_calls_total")).isEqualTo(3);

        // The next flush interval reads nothing again: the span metrics keep their handles, also those of keys over
        // the limit (which the accumulator itself forgets at each flush).
        services.forEach(service -> series.record(span().service(service).size(1000).build(), ExemplarSource.NONE, 0));
        acc.flush();
        assertThat(reads[0]).isEqualTo(15 + 2 * 3);
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(6);
        assertThat(store.counter(SeriesKey.of("acme", "traces_spanmetrics_size_total", "otel_metric_overflow", "true"))).isEqualTo(6000);
        assertThat(store.counter(SeriesKey.of("acme", "tracesift_metrics_overflow_total", "metric", "traces_spanmetrics_size_total"))).isEqualTo(6);

        // Looked up by key, a key over the limit is read again (2 label sets x 3 families) and still overflows.
        services.forEach(service -> record(acc, span().service(service).size(1000).build()));
        acc.flush();
        assertThat(reads[0]).isEqualTo(15 + 2 * 3 + 2 * 3);
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(9);
        assertThat(store.counter(SeriesKey.of("acme", "tracesift_metrics_overflow_total", "metric", "traces_spanmetrics_size_total"))).isEqualTo(9);
    }

    @Test
    void handlesTakenBeforeADiscardAreRefused() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = aggregator.accumulator(store);
        SeriesAccumulator.Series series = acc.series(calls("acme", "a"));
        acc.discard();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> series.count(1)).isInstanceOf(IllegalStateException.class);
        // The span metrics notice the discard and take new handles.
        SpanSeries spans = aggregator.spanSeries(acc);
        spans.record(span().service("a").build(), ExemplarSource.NONE, 0);
        acc.discard();
        spans.record(span().service("a").build(), ExemplarSource.NONE, 0);
        acc.flush();
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(1);
    }

    @Test
    void aRestartedAccumulatorContinuesFromTheStoreWithTheSameLimit() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator before = aggregator.accumulator(store);
        for (String service : List.of("a", "b", "c")) {
            record(before, span().service(service).build());
        }
        before.flush();
        SeriesAccumulator after = aggregator.accumulator(store);
        record(after, span().service("a").build());
        record(after, span().service("new").build());
        after.flush();
        assertThat(store.counter(calls("acme", "a"))).isEqualTo(2);
        assertThat(store.counter(calls("acme", "new"))).isZero();
        assertThat(store.counter(SeriesKey.of("acme", "traces_spanmetrics_calls_total", "otel_metric_overflow", "true"))).isEqualTo(1);
    }

    @Test
    void tenantsHaveTheirOwnBudgets() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = aggregator.accumulator(store);
        for (String service : List.of("a", "b", "c", "d")) {
            record(acc, span().tenant("acme").service(service).build());
        }
        record(acc, span().tenant("globex").service("d").build());
        acc.flush();
        assertThat(store.counter(calls("globex", "d"))).isEqualTo(1);
        assertThat(store.counter(calls("acme", "d"))).isZero();
    }

    @Test
    void aFlushAddsToWhatTheStoreHoldsAndADiscardLeavesItAsItWas() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = aggregator.accumulator(store);
        record(acc, span().durationMillis(10).kept().build());
        acc.flush();
        HistogramValue first = (HistogramValue) store.get(new SeriesKey("acme", "traces_spanmetrics_latency", calls("acme", "checkout").labels()));
        record(acc, span().durationMillis(1000).build());
        record(acc, span().durationMillis(1000).build());
        acc.discard();
        record(acc, span().durationMillis(1000).build());
        acc.flush();
        assertThat(store.counter(calls("acme", "checkout"))).isEqualTo(2);
        HistogramValue latency = (HistogramValue) store.get(new SeriesKey("acme", "traces_spanmetrics_latency", calls("acme", "checkout").labels()));
        assertThat(latency.bucketCounts()).containsExactly(1, 0, 1, 0);
        assertThat(latency.sum()).isCloseTo(1.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(latency.exemplar()).isNotNull().isEqualTo(first.exemplar());
    }
}
