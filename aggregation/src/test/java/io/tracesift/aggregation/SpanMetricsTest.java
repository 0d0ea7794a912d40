package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class SpanMetricsTest {
    static final double[] BUCKETS = {0.05, 0.5, 5};

    /** The series the spans leave in a store, each span counted with its own ids as exemplar source. */
    static Map<SeriesKey, SeriesValue> recorded(List<Dimension> dimensions, SpanSample... spans) {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = new SeriesAccumulator(store, 100);
        SpanMetrics m = new SpanMetrics(dimensions, BUCKETS, acc);
        for (SpanSample s : spans) {
            m.record(s, ExemplarSource.of(s), 0);
        }
        acc.flush();
        return store.series();
    }

    static Map<SeriesKey, SeriesValue> recorded(SpanSample... spans) {
        return recorded(List.of(), spans);
    }

    static SeriesKey calls(String tenant, String... labels) {
        return SeriesKey.of(tenant, "traces_spanmetrics_calls_total", labels);
    }

    static HistogramValue latency(Map<SeriesKey, SeriesValue> series) {
        return (HistogramValue) series.entrySet().stream().filter(e -> e.getKey().family().equals("traces_spanmetrics_latency"))
                .findFirst().orElseThrow().getValue();
    }

    @ParameterizedTest(name = "kind {0} status {1} -> {2} {3}")
    @CsvSource({
            "0, 0, SPAN_KIND_UNSPECIFIED, STATUS_CODE_UNSET",
            "1, 1, SPAN_KIND_INTERNAL, STATUS_CODE_OK",
            "2, 2, SPAN_KIND_SERVER, STATUS_CODE_ERROR",
            "3, 0, SPAN_KIND_CLIENT, STATUS_CODE_UNSET",
            "4, 0, SPAN_KIND_PRODUCER, STATUS_CODE_UNSET",
            "5, 0, SPAN_KIND_CONSUMER, STATUS_CODE_UNSET",
            "9, 7, SPAN_KIND_UNSPECIFIED, STATUS_CODE_UNSET",
            "-1, -1, SPAN_KIND_UNSPECIFIED, STATUS_CODE_UNSET"})
    void kindsAndStatusesUseTempoLabelValues(int kind, int status, String kindLabel, String statusLabel) {
        Map<SeriesKey, SeriesValue> out = recorded(span().kind(kind).status(status).build());
        assertThat(out).containsEntry(calls("acme", "service", "checkout", "span_name", "GET /cart",
                "span_kind", kindLabel, "status_code", statusLabel), CounterValue.ONE);
    }

    @Test
    void aSpanCountsACallItsSizeAndItsLatency() {
        Map<SeriesKey, SeriesValue> out = recorded(span().kind(2).durationMillis(100).size(321).build());
        String[] labels = {"service", "checkout", "span_name", "GET /cart", "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"};
        assertThat(out).isEqualTo(Map.of(
                calls("acme", labels), CounterValue.ONE,
                SeriesKey.of("acme", "traces_spanmetrics_size_total", labels), CounterValue.of(321),
                SeriesKey.of("acme", "traces_spanmetrics_latency", labels), HistogramValue.single(BUCKETS, 0.1, null)));
    }

    @Test
    void spansOfOneLabelSetAddUpAndOthersGetTheirOwnSeries() {
        Map<SeriesKey, SeriesValue> out = recorded(span().durationMillis(10).size(5).build(), span().durationMillis(1000).size(7).build(),
                span().name("POST /pay").durationMillis(10).build());
        String[] labels = {"service", "checkout", "span_name", "GET /cart", "span_kind", "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_UNSET"};
        assertThat(out).containsEntry(calls("acme", labels), CounterValue.of(2))
                .containsEntry(SeriesKey.of("acme", "traces_spanmetrics_size_total", labels), CounterValue.of(12))
                .containsEntry(calls("acme", "service", "checkout", "span_name", "POST /pay", "span_kind", "SPAN_KIND_INTERNAL",
                        "status_code", "STATUS_CODE_UNSET"), CounterValue.ONE);
        HistogramValue latency = (HistogramValue) out.get(SeriesKey.of("acme", "traces_spanmetrics_latency", labels));
        assertThat(latency.bucketCounts()).containsExactly(1, 0, 1, 0);
        assertThat(latency.sum()).isCloseTo(1.01, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void oneNameInTwoTenantsTwoServicesAndOtherKindsOrStatusesIsSeveralSeriesWhateverTheOrder() {
        // Spans of one tenant and service mostly come together; these turn back and forth between them.
        SpanSample[] spans = {span().build(), span().tenant("globex").build(), span().service("cart").build(),
                span().build(), span().kind(3).build(), span().status(2).build(), span().tenant("globex").build(),
                span().kind(9).status(7).build(), span().service(new String("checkout")).build()};
        Map<SeriesKey, SeriesValue> out = recorded(spans);
        assertThat(out).containsEntry(calls("acme", "service", "checkout", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_UNSET"), CounterValue.of(3))
                .containsEntry(calls("globex", "service", "checkout", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_UNSET"), CounterValue.of(2))
                .containsEntry(calls("acme", "service", "cart", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_UNSET"), CounterValue.ONE)
                .containsEntry(calls("acme", "service", "checkout", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_CLIENT", "status_code", "STATUS_CODE_UNSET"), CounterValue.ONE)
                .containsEntry(calls("acme", "service", "checkout", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_INTERNAL", "status_code", "STATUS_CODE_ERROR"), CounterValue.ONE)
                .containsEntry(calls("acme", "service", "checkout", "span_name", "GET /cart", "span_kind",
                        "SPAN_KIND_UNSPECIFIED", "status_code", "STATUS_CODE_UNSET"), CounterValue.ONE);
        assertThat(out.keySet()).filteredOn(k -> k.family().equals("traces_spanmetrics_calls_total")).hasSize(6);
    }

    @ParameterizedTest(name = "service [{0}] -> {1}")
    @CsvSource(value = {"NULL, unknown_service", "'', unknown_service", "'  ', unknown_service", "cart, cart"}, nullValues = "NULL")
    void aMissingServiceGetsThePlaceholder(String service, String expected) {
        assertThat(recorded(span().service(service).build()).keySet()).extracting(k -> k.label("service")).containsOnly(expected);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "-1, negative",
            "-86400000000000, negative",
            "31536000000000001, too_long",
            "9223372036854775807, too_long"})
    void absurdDurationsAreCountedAndLeftOutOfTheHistogram(long durationNanos, String reason) {
        Map<SeriesKey, SeriesValue> out = recorded(span().durationNanos(durationNanos).build());
        assertThat(out.keySet()).extracting(SeriesKey::family).containsExactlyInAnyOrder("traces_spanmetrics_calls_total",
                "traces_spanmetrics_size_total", "tracesift_spanmetrics_invalid_duration_spans_total");
        assertThat(out).containsEntry(
                SeriesKey.of("acme", "tracesift_spanmetrics_invalid_duration_spans_total", "reason", reason), CounterValue.ONE);
    }

    @ParameterizedTest(name = "{0} ns is a real duration")
    @CsvSource({"0", "31536000000000000"})
    void boundaryDurationsAreObserved(long durationNanos) {
        assertThat(latency(recorded(span().durationNanos(durationNanos).build())).count()).isEqualTo(1);
    }

    @Test
    void dimensionsComeFromAttributesOrTheirDefault() {
        List<Dimension> dimensions = List.of(new Dimension("workflow.type", "none"), new Dimension("http.status_code", ""));
        Map<SeriesKey, SeriesValue> out = recorded(dimensions,
                span().attr("workflow.type", "checkout-flow").attr("http.status_code", 503L).build(), span().build());
        assertThat(out.keySet()).filteredOn(k -> k.family().equals("traces_spanmetrics_calls_total"))
                .extracting(k -> k.labels().subList(4, 6))
                .containsExactlyInAnyOrder(List.of(new Label("workflow_type", "checkout-flow"), new Label("http_status_code", "503")),
                        List.of(new Label("workflow_type", "none"), new Label("http_status_code", "")));
    }

    @Test
    void onlyKeptTracesWithValidIdsBecomeExemplars() {
        HistogramValue kept = latency(recorded(span().durationMillis(2500).kept().build()));
        HistogramValue dropped = latency(recorded(span().durationMillis(2500).build()));
        HistogramValue badIds = latency(recorded(span().durationMillis(2500).id("").kept().build()));
        assertThat(kept.exemplar()).isEqualTo(new Exemplar(TestSpans.TRACE, "b7ad6b7169203331", 2.5, 1_700_000_002_500L));
        assertThat(dropped.exemplar()).isNull();
        assertThat(badIds.exemplar()).isNull();
    }

    @Test
    void zeroOrNegativeSizesAddNoSizeUpdate() {
        assertThat(recorded(span().size(0).build()).keySet()).extracting(SeriesKey::family).doesNotContain("traces_spanmetrics_size_total");
        assertThat(recorded(span().size(-5).build()).keySet()).extracting(SeriesKey::family).doesNotContain("traces_spanmetrics_size_total");
    }

    @Test
    void aSeriesTakesOneExemplarPerIntervalOfWallClockTime() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = new SeriesAccumulator(store, 100);
        SpanMetrics m = new SpanMetrics(List.of(), BUCKETS, acc);
        int[] asked = {0};
        ExemplarSource keptSource = (value, epochMillis) -> {
            asked[0]++;
            return new Exemplar(TestSpans.TRACE, "b7ad6b7169203331", value, epochMillis);
        };
        long now = 1_700_000_000_000L;
        // 1,000 spans within one interval (and across a flush): the first becomes the exemplar, the others are not asked.
        for (int i = 0; i < 1000; i++) {
            m.record(span().durationNanos(100_000_000L + i * 1_000_000L).build(), keptSource, now + i);
            if (i == 500) {
                acc.flush();
            }
        }
        acc.flush();
        assertThat(asked[0]).isEqualTo(1);
        assertThat(latency(store.series()).exemplar().value()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        // One interval later a span is asked again, and its exemplar is the newer one.
        m.record(span().start(TestSpans.T0 + 60_000_000_000L).durationMillis(3000).build(), keptSource,
                now + SeriesAccumulator.EXEMPLAR_REFRESH_MILLIS);
        acc.flush();
        assertThat(asked[0]).isEqualTo(2);
        assertThat(latency(store.series()).exemplar().value()).isEqualTo(3.0);
    }

    @Test
    void aSeriesWhoseTracesAreNotKeptAsksALimitedNumberOfTimesPerInterval() {
        SeriesAccumulator acc = new SeriesAccumulator(new InMemorySeriesStore(), 100);
        SpanMetrics m = new SpanMetrics(List.of(), BUCKETS, acc);
        int[] asked = {0};
        ExemplarSource neverKept = (value, epochMillis) -> {
            asked[0]++;
            return null;
        };
        long now = 1_700_000_000_000L;
        for (int i = 0; i < 1000; i++) {
            m.record(span().build(), neverKept, now + i);
        }
        assertThat(asked[0]).isEqualTo(SeriesAccumulator.EXEMPLAR_ATTEMPTS);
        m.record(span().build(), neverKept, now + SeriesAccumulator.EXEMPLAR_REFRESH_MILLIS);
        assertThat(asked[0]).isEqualTo(SeriesAccumulator.EXEMPLAR_ATTEMPTS + 1);
    }
}
