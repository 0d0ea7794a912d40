package io.tracesift.aggregation;

import java.util.List;

/**
 * RED metrics of single spans under Grafana Tempo's names, so Grafana's RED views and queries work unchanged:
 * {@code traces_spanmetrics_calls_total}, {@code traces_spanmetrics_latency} (seconds) and
 * {@code traces_spanmetrics_size_total}, labelled service, span_name, span_kind, status_code, then the configured
 * dimensions (tenant is part of every key).
 */
public final class SpanMetrics {
    /** Longer than this is a broken clock or instrumentation, not a real duration. */
    public static final long MAX_DURATION_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

    private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    private final List<Dimension> dimensions;
    private final double[] buckets;

    public SpanMetrics(List<Dimension> dimensions, double[] buckets) {
        this.dimensions = List.copyOf(dimensions);
        this.buckets = buckets.clone();
    }

    /** Appends this span's increments to {@code out}: calls, size, and latency or an invalid-duration count. */
    public void addUpdates(SpanSample span, List<SeriesUpdate> out) {
        Label[] array = new Label[4 + dimensions.size()];
        array[0] = new Label("service", span.service());
        array[1] = new Label("span_name", span.name());
        array[2] = new Label("span_kind", spanKind(span.kind()));
        array[3] = new Label("status_code", statusCode(span.statusCode()));
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension d = dimensions.get(i);
            String value = span.attributeText(d.name());
            array[4 + i] = new Label(d.labelName(), value == null ? d.defaultValue() : value);
        }
        // One immutable list shared by the three keys (SeriesKey's List.copyOf keeps it as is).
        List<Label> labels = List.of(array);
        String tenant = span.tenant();
        out.add(new SeriesUpdate(new SeriesKey(tenant, MetricFamilies.SPAN_CALLS.name(), labels), CounterValue.ONE));
        if (span.sizeBytes() > 0) {
            out.add(new SeriesUpdate(new SeriesKey(tenant, MetricFamilies.SPAN_SIZE.name(), labels), CounterValue.of(span.sizeBytes())));
        }
        String invalid = invalidDurationReason(span.durationNanos());
        if (invalid != null) {
            out.add(new SeriesUpdate(SeriesKey.of(tenant, MetricFamilies.INVALID_DURATIONS.name(), "reason", invalid), CounterValue.ONE));
        } else {
            out.add(new SeriesUpdate(new SeriesKey(tenant, MetricFamilies.SPAN_LATENCY.name(), labels), observation(span, buckets)));
        }
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

    /** The span's duration in seconds as a one-observation histogram, with an exemplar when its trace is kept. */
    static HistogramValue observation(SpanSample span, double[] buckets) {
        double seconds = span.durationNanos() / 1e9;
        Exemplar exemplar = span.traceKept() && Exemplar.validIds(span.traceIdHex(), span.spanIdHex())
                ? new Exemplar(span.traceIdHex(), span.spanIdHex(), seconds, Math.floorDiv(span.endEpochNanos(), 1_000_000L))
                : null;
        return HistogramValue.single(buckets, seconds, exemplar);
    }
}
