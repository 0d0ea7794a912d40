package io.tracesift.aggregation;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class SeriesCollectorTest {
    final MetricsAggregator aggregator = new MetricsAggregator(new MetricsConfig(List.of(), 100, "workflow.type", new double[]{0.05, 0.5}));
    final InMemorySeriesStore partition0 = new InMemorySeriesStore();
    final InMemorySeriesStore partition1 = new InMemorySeriesStore();
    /** Two partition stores seen as one source, as the topology's local stores are. */
    final SeriesSource source = visitor -> {
        partition0.forEachSeries(visitor);
        partition1.forEachSeries(visitor);
    };

    @BeforeEach
    void spans() {
        SeriesAccumulator p0 = aggregator.accumulator(partition0);
        SeriesAccumulator p1 = aggregator.accumulator(partition1);
        record(p0, span().kind(2).durationMillis(20).size(100).build());
        record(p1, span().kind(2).durationMillis(300).size(50).status(2).kept().build());
        record(p1, span().kind(2).durationMillis(200).size(50).build());
        record(p1, span().tenant("globex").service("api").name("POST /pay").kind(2).durationMillis(1000).size(7).build());
        p0.flush();
        p1.flush();
    }

    void record(SeriesAccumulator acc, SpanSample span) {
        aggregator.spanSeries(acc).record(span, ExemplarSource.of(span), 0);
    }

    static String text(SeriesCollector collector) {
        return PrometheusTextFormatWriter.create().toDebugString(collector.collect());
    }

    @Test
    void rendersCountersAndHistogramsSummedAcrossStores() {
        assertThat(text(SeriesCollector.allTenants(source)).lines()).contains(
                "# TYPE traces_spanmetrics_calls_total counter",
                "traces_spanmetrics_calls_total{service=\"api\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"POST /pay\",status_code=\"STATUS_CODE_UNSET\",tenant=\"globex\"} 1.0",
                "traces_spanmetrics_calls_total{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_ERROR\",tenant=\"acme\"} 1.0",
                "traces_spanmetrics_calls_total{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\"} 2.0",
                "traces_spanmetrics_size_total{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\"} 150.0",
                "# TYPE traces_spanmetrics_latency histogram",
                "traces_spanmetrics_latency_bucket{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\",le=\"0.05\"} 1",
                "traces_spanmetrics_latency_bucket{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\",le=\"0.5\"} 2",
                "traces_spanmetrics_latency_bucket{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\",le=\"+Inf\"} 2",
                "traces_spanmetrics_latency_count{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\"} 2",
                "traces_spanmetrics_latency_sum{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\"} 0.22");
    }

    @Test
    void openMetricsCarriesTheExemplarOfAKeptTrace() {
        String om = OpenMetricsTextFormatWriter.create().toDebugString(SeriesCollector.allTenants(source).collect());
        assertThat(om.lines()).contains(
                "traces_spanmetrics_latency_bucket{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_ERROR\",tenant=\"acme\",le=\"0.5\"} 1"
                        + " # {span_id=\"b7ad6b7169203331\",trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 0.3 1700000000.300",
                "traces_spanmetrics_latency_bucket{service=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\",tenant=\"acme\",le=\"0.5\"} 2",
                "# EOF");
    }

    @Test
    void theTenantViewShowsOnlyThatTenant() {
        String globex = text(SeriesCollector.forTenant(source, "globex"));
        assertThat(globex).contains("tenant=\"globex\"").doesNotContain("tenant=\"acme\"");
        assertThat(globex.lines().filter(l -> l.startsWith("traces_spanmetrics_calls_total"))).containsExactly(
                "traces_spanmetrics_calls_total{service=\"api\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"POST /pay\",status_code=\"STATUS_CODE_UNSET\",tenant=\"globex\"} 1.0");
        assertThat(text(SeriesCollector.forTenant(source, "nobody"))).isEmpty();
    }

    @Test
    void overflowSeriesRenderWithTheirLabelAndCounter() {
        MetricsAggregator tiny = new MetricsAggregator(new MetricsConfig(List.of(), 1, "workflow.type", new double[]{1}));
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = tiny.accumulator(store);
        tiny.spanSeries(acc).record(span().service("a").build(), ExemplarSource.NONE, 0);
        tiny.spanSeries(acc).record(span().service("b").build(), ExemplarSource.NONE, 0);
        acc.flush();
        assertThat(text(SeriesCollector.allTenants(store)).lines()).contains(
                "traces_spanmetrics_calls_total{otel_metric_overflow=\"true\",tenant=\"acme\"} 1.0",
                "tracesift_metrics_overflow_total{metric=\"traces_spanmetrics_calls_total\",tenant=\"acme\"} 1.0");
    }

    @Test
    void registersWithAPrometheusRegistry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(SeriesCollector.allTenants(source));
        assertThat(registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
                .containsExactly("traces_spanmetrics_calls", "traces_spanmetrics_latency", "traces_spanmetrics_size");
    }

    @Test
    void keysRenderingTheSameLabelsAreSummedAndStrayTypesLeftOut() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        store.put(SeriesKey.of("acme", "traces_service_graph_request_total", "client", "a", "server", "b"), CounterValue.of(2));
        store.put(SeriesKey.of("acme", "traces_service_graph_request_total", "server", "b", "client", "a"), CounterValue.of(3));
        store.put(SeriesKey.of("acme", "traces_service_graph_request_total", "client", "x", "server", "y"),
                HistogramValue.single(new double[]{1}, 0.5, null));
        assertThat(text(SeriesCollector.allTenants(store)).lines().filter(l -> !l.startsWith("#"))).containsExactly(
                "traces_service_graph_request_total{client=\"a\",server=\"b\",tenant=\"acme\"} 5.0");
    }

    @Test
    void anEmptySourceRendersNothing() {
        assertThat(text(SeriesCollector.allTenants(visitor -> { }))).isEmpty();
    }
}
