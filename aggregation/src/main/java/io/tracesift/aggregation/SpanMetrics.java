package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RED metrics of single spans under Grafana Tempo's names, so Grafana's RED views and queries work unchanged:
 * {@code traces_spanmetrics_calls_total}, {@code traces_spanmetrics_latency} (seconds) and
 * {@code traces_spanmetrics_size_total}, labelled service, span_name, span_kind, status_code, then the configured
 * dimensions (tenant is part of every key); counted into one accumulator. Per span it looks up the handles of its
 * label set in a cache (refilling one probe, so a span allocates nothing here) and adds to them directly. One
 * instance per accumulator; not thread-safe.
 */
public final class SpanMetrics {
    /** Longer than this is a broken clock or instrumentation, not a real duration. */
    public static final long MAX_DURATION_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

    private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
    private static final int FIXED_LABELS = 5;

    /** More distinct label sets than this and the cache starts over (the cardinality limit bounds stored ones anyway). */
    static final int MAX_CACHED = 20_000;

    private final List<Dimension> dimensions;
    private final double[] buckets;
    private final SeriesAccumulator accumulator;
    /** The handles (calls, size, latency) of each label set seen, by tenant, service, name, kind, status, dimensions. */
    private final Map<LabelTuple, SeriesAccumulator.Series[]> series = new HashMap<>();
    private final LabelTuple probe;
    private int generation;

    public SpanMetrics(List<Dimension> dimensions, double[] buckets, SeriesAccumulator accumulator) {
        this.dimensions = List.copyOf(dimensions);
        this.buckets = buckets.clone();
        this.accumulator = accumulator;
        this.probe = new LabelTuple(FIXED_LABELS + this.dimensions.size());
        this.generation = accumulator.generation();
    }

    /**
     * Counts the span: calls, size, and latency (exemplar from {@code exemplars}) or an invalid-duration count.
     *
     * @param nowMillis the wall-clock time, for the exemplar interval ({@link SeriesAccumulator.Series#wantsExemplar})
     */
    public void record(SpanSample span, ExemplarSource exemplars, long nowMillis) {
        SeriesAccumulator.Series[] s = series(span);
        s[0].count(1);
        if (span.sizeBytes() > 0) {
            s[1].count(span.sizeBytes());
        }
        String invalid = invalidDurationReason(span.durationNanos());
        if (invalid != null) {
            accumulator.series(SeriesKey.of(span.tenant(), MetricFamilies.INVALID_DURATIONS.name(), "reason", invalid)).count(1);
        } else {
            observe(s[2], buckets, span, exemplars, nowMillis);
        }
    }

    /** Adds the span's duration in seconds, with an exemplar when the series wants one and the trace is kept. */
    static void observe(SeriesAccumulator.Series series, double[] buckets, SpanSample span, ExemplarSource exemplars,
                        long nowMillis) {
        double seconds = span.durationNanos() / 1e9;
        Exemplar exemplar = series.wantsExemplar(nowMillis)
                ? exemplars.exemplar(seconds, Math.floorDiv(span.endEpochNanos(), 1_000_000L)) : null;
        series.observe(buckets, seconds, exemplar);
    }

    private SeriesAccumulator.Series[] series(SpanSample span) {
        if (generation != accumulator.generation()) {
            series.clear();
            generation = accumulator.generation();
        }
        probe.set(0, span.tenant()).set(1, span.service()).set(2, span.name())
                .set(3, spanKind(span.kind())).set(4, statusCode(span.statusCode()));
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension d = dimensions.get(i);
            String value = span.attributeText(d.name());
            probe.set(FIXED_LABELS + i, value == null ? d.defaultValue() : value);
        }
        SeriesAccumulator.Series[] s = series.get(probe.rehash());
        if (s == null) {
            if (series.size() >= MAX_CACHED) {
                series.clear();
            }
            s = newSeries(probe);
            series.put(probe.copy(), s);
        }
        return s;
    }

    private SeriesAccumulator.Series[] newSeries(LabelTuple values) {
        Label[] array = new Label[4 + dimensions.size()];
        array[0] = new Label("service", values.get(1));
        array[1] = new Label("span_name", values.get(2));
        array[2] = new Label("span_kind", values.get(3));
        array[3] = new Label("status_code", values.get(4));
        for (int i = 0; i < dimensions.size(); i++) {
            array[4 + i] = new Label(dimensions.get(i).labelName(), values.get(FIXED_LABELS + i));
        }
        // One immutable list shared by the three keys (SeriesKey's List.copyOf keeps it as is).
        List<Label> labels = List.of(array);
        String tenant = values.get(0);
        return new SeriesAccumulator.Series[] {
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_CALLS.name(), labels)),
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_SIZE.name(), labels)),
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_LATENCY.name(), labels))};
    }

    /** Tempo's span_kind label value for an OTLP kind number (unknown numbers count as unspecified). */
    public static String spanKind(int kind) {
        return kind >= 0 && kind < KINDS.length ? KINDS[kind] : KINDS[0];
    }

    /** Tempo's status_code label value for an OTLP status number (unknown numbers count as unset). */
    public static String statusCode(int code) {
        return code >= 0 && code < STATUSES.length ? STATUSES[code] : STATUSES[0];
    }

    /** Null for a plausible duration, else {@code negative} or {@code too_long}. */
    static String invalidDurationReason(long durationNanos) {
        return durationNanos < 0 ? "negative" : durationNanos > MAX_DURATION_NANOS ? "too_long" : null;
    }
}
