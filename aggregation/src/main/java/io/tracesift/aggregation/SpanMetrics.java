package io.tracesift.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RED metrics of single spans under Grafana Tempo's names, so Grafana's RED views and queries work unchanged:
 * {@code traces_spanmetrics_calls_total}, {@code traces_spanmetrics_latency} (seconds) and
 * {@code traces_spanmetrics_size_total}, labelled service, span_name, span_kind, status_code, then the configured
 * dimensions (tenant is part of every key). Thread-safe.
 */
public final class SpanMetrics {
    /** Longer than this is a broken clock or instrumentation, not a real duration. */
    public static final long MAX_DURATION_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

    private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    /** More distinct label sets than this and the key cache starts over (the cardinality limit bounds it anyway). */
    private static final int MAX_CACHED_KEYS = 20_000;

    private final List<Dimension> dimensions;
    private final double[] buckets;
    /** The three keys (calls, size, latency) of each label set seen, so a span builds none. */
    private final Map<LabelValues, SeriesKey[]> keys = new ConcurrentHashMap<>();

    /** The label values that tell one span-metrics series from another. */
    private record LabelValues(String tenant, String service, String name, int kind, int statusCode, List<String> dimensions) {}

    public SpanMetrics(List<Dimension> dimensions, double[] buckets) {
        this.dimensions = List.copyOf(dimensions);
        this.buckets = buckets.clone();
    }

    /** Appends this span's increments to {@code out}: calls, size, and latency or an invalid-duration count. */
    public void addUpdates(SpanSample span, List<SeriesUpdate> out) {
        SeriesKey[] k = keys(span);
        out.add(new SeriesUpdate(k[0], CounterValue.ONE));
        if (span.sizeBytes() > 0) {
            out.add(new SeriesUpdate(k[1], CounterValue.of(span.sizeBytes())));
        }
        String invalid = invalidDurationReason(span.durationNanos());
        if (invalid != null) {
            out.add(new SeriesUpdate(SeriesKey.of(span.tenant(), MetricFamilies.INVALID_DURATIONS.name(), "reason", invalid), CounterValue.ONE));
        } else {
            out.add(new SeriesUpdate(k[2], observation(span, buckets)));
        }
    }

    private SeriesKey[] keys(SpanSample span) {
        List<String> values;
        if (dimensions.isEmpty()) {
            values = List.of();
        } else {
            String[] v = new String[dimensions.size()];
            for (int i = 0; i < v.length; i++) {
                Dimension d = dimensions.get(i);
                String value = span.attributeText(d.name());
                v[i] = value == null ? d.defaultValue() : value;
            }
            values = Arrays.asList(v);
        }
        LabelValues id = new LabelValues(span.tenant(), span.service(), span.name(), span.kind(), span.statusCode(), values);
        SeriesKey[] k = keys.get(id);
        if (k == null) {
            k = newKeys(id);
            if (keys.size() >= MAX_CACHED_KEYS) {
                keys.clear();
            }
            keys.put(id, k);
        }
        return k;
    }

    private SeriesKey[] newKeys(LabelValues id) {
        Label[] array = new Label[4 + dimensions.size()];
        array[0] = new Label("service", id.service());
        array[1] = new Label("span_name", id.name());
        array[2] = new Label("span_kind", spanKind(id.kind()));
        array[3] = new Label("status_code", statusCode(id.statusCode()));
        for (int i = 0; i < dimensions.size(); i++) {
            array[4 + i] = new Label(dimensions.get(i).labelName(), id.dimensions().get(i));
        }
        // One immutable list shared by the three keys (SeriesKey's List.copyOf keeps it as is).
        List<Label> labels = List.of(array);
        return new SeriesKey[] {new SeriesKey(id.tenant(), MetricFamilies.SPAN_CALLS.name(), labels),
                new SeriesKey(id.tenant(), MetricFamilies.SPAN_SIZE.name(), labels),
                new SeriesKey(id.tenant(), MetricFamilies.SPAN_LATENCY.name(), labels)};
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
