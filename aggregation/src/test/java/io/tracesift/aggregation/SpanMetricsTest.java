package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class SpanMetricsTest {
    static final double[] BUCKETS = {0.05, 0.5, 5};

    static List<SeriesUpdate> updates(SpanMetrics m, SpanSample s) {
        List<SeriesUpdate> out = new ArrayList<>();
        m.addUpdates(s, out);
        return out;
    }

    static SeriesKey calls(String tenant, String... labels) {
        return SeriesKey.of(tenant, "traces_spanmetrics_calls_total", labels);
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
        List<SeriesUpdate> out = updates(new SpanMetrics(List.of(), BUCKETS), span().kind(kind).status(status).build());
        assertThat(out.get(0)).isEqualTo(new SeriesUpdate(calls("acme", "service", "checkout", "span_name", "GET /cart",
                "span_kind", kindLabel, "status_code", statusLabel), CounterValue.ONE));
    }

    @Test
    void aSpanCountsACallItsSizeAndItsLatency() {
        List<SeriesUpdate> out = updates(new SpanMetrics(List.of(), BUCKETS), span().kind(2).durationMillis(100).size(321).build());
        String[] labels = {"service", "checkout", "span_name", "GET /cart", "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET"};
        assertThat(out).containsExactly(
                new SeriesUpdate(calls("acme", labels), CounterValue.ONE),
                new SeriesUpdate(SeriesKey.of("acme", "traces_spanmetrics_size_total", labels), CounterValue.of(321)),
                new SeriesUpdate(SeriesKey.of("acme", "traces_spanmetrics_latency", labels), HistogramValue.single(BUCKETS, 0.1, null)));
    }

    @ParameterizedTest(name = "service [{0}] -> {1}")
    @CsvSource(value = {"NULL, unknown_service", "'', unknown_service", "'  ', unknown_service", "cart, cart"}, nullValues = "NULL")
    void aMissingServiceGetsThePlaceholder(String service, String expected) {
        List<SeriesUpdate> out = updates(new SpanMetrics(List.of(), BUCKETS), span().service(service).build());
        assertThat(out.get(0).key().label("service")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "-1, negative",
            "-86400000000000, negative",
            "31536000000000001, too_long",
            "9223372036854775807, too_long"})
    void absurdDurationsAreCountedAndLeftOutOfTheHistogram(long durationNanos, String reason) {
        List<SeriesUpdate> out = updates(new SpanMetrics(List.of(), BUCKETS), span().durationNanos(durationNanos).build());
        assertThat(out).extracting(u -> u.key().family())
                .containsExactly("traces_spanmetrics_calls_total", "traces_spanmetrics_size_total",
                        "tracesift_spanmetrics_invalid_duration_spans_total");
        assertThat(out.get(2)).isEqualTo(new SeriesUpdate(
                SeriesKey.of("acme", "tracesift_spanmetrics_invalid_duration_spans_total", "reason", reason), CounterValue.ONE));
    }

    @ParameterizedTest(name = "{0} ns is a real duration")
    @CsvSource({"0", "31536000000000000"})
    void boundaryDurationsAreObserved(long durationNanos) {
        List<SeriesUpdate> out = updates(new SpanMetrics(List.of(), BUCKETS), span().durationNanos(durationNanos).build());
        assertThat(out.get(2).key().family()).isEqualTo("traces_spanmetrics_latency");
    }

    @Test
    void dimensionsComeFromAttributesOrTheirDefault() {
        SpanMetrics m = new SpanMetrics(List.of(new Dimension("workflow.type", "none"), new Dimension("http.status_code", "")), BUCKETS);
        SeriesKey with = updates(m, span().attr("workflow.type", "checkout-flow").attr("http.status_code", 503L).build()).get(0).key();
        SeriesKey without = updates(m, span().build()).get(0).key();
        assertThat(with.labels().subList(4, 6)).containsExactly(new Label("workflow_type", "checkout-flow"), new Label("http_status_code", "503"));
        assertThat(without.labels().subList(4, 6)).containsExactly(new Label("workflow_type", "none"), new Label("http_status_code", ""));
    }

    @Test
    void onlyKeptTracesWithValidIdsBecomeExemplars() {
        SpanMetrics m = new SpanMetrics(List.of(), BUCKETS);
        HistogramValue kept = (HistogramValue) updates(m, span().durationMillis(2500).kept().build()).get(2).increment();
        HistogramValue dropped = (HistogramValue) updates(m, span().durationMillis(2500).build()).get(2).increment();
        HistogramValue badIds = (HistogramValue) updates(m, span().durationMillis(2500).id("x").kept().build()).get(2).increment();
        assertThat(kept.exemplar()).isEqualTo(new Exemplar(TestSpans.TRACE, "b7ad6b7169203331", 2.5, 1_700_000_002_500L));
        assertThat(dropped.exemplar()).isNull();
        assertThat(badIds.exemplar()).isNull();
    }

    @Test
    void zeroOrNegativeSizesAddNoSizeUpdate() {
        SpanMetrics m = new SpanMetrics(List.of(), BUCKETS);
        assertThat(updates(m, span().size(0).build())).extracting(u -> u.key().family()).doesNotContain("traces_spanmetrics_size_total");
        assertThat(updates(m, span().size(-5).build())).extracting(u -> u.key().family()).doesNotContain("traces_spanmetrics_size_total");
    }
}
