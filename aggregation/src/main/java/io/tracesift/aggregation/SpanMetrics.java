package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RED metrics of single spans under Grafana Tempo's names, so Grafana's RED views and queries work unchanged:
 * {@code traces_spanmetrics_calls_total}, {@code traces_spanmetrics_latency} (seconds) and
 * {@code traces_spanmetrics_size_total}, labelled service, span_name, span_kind, status_code, then the configured
 * dimensions (tenant is part of every key); counted into one accumulator. Per span it looks up the handles of its
 * label set in a cache (a span allocates nothing here) and adds to them directly. One instance per accumulator; not
 * thread-safe.
 */
public final class SpanMetrics {
    /** Longer than this is a broken clock or instrumentation, not a real duration. */
    public static final long MAX_DURATION_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

    private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    /** More distinct label sets than this and the cache starts over (the cardinality limit bounds stored ones anyway). */
    static final int MAX_CACHED = 20_000;

    private final List<Dimension> dimensions;
    private final double[] buckets;
    private final SeriesAccumulator accumulator;
    /**
     * The handles (calls, size, latency) of each label set seen, by tenant and service, then span name, then kind and
     * status (dimension values, when configured, join the name: see {@link Handles}). The spans of one record share
     * their tenant and service, so the last pair's handles are checked first, and a lookup writes no reference (a
     * probe filled per span paid the collector's write barrier on each of its fields).
     */
    private final Map<String, Map<String, Handles>> byTenantAndService = new HashMap<>();
    private Handles last;
    private int cached;
    private final LabelTuple probe;
    private int generation;

    public SpanMetrics(List<Dimension> dimensions, double[] buckets, SeriesAccumulator accumulator) {
        this.dimensions = List.copyOf(dimensions);
        this.buckets = buckets.clone();
        this.accumulator = accumulator;
        this.probe = new LabelTuple(1 + this.dimensions.size());
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
            forget();
            generation = accumulator.generation();
        }
        String tenant = span.tenant();
        String service = span.service();
        Handles handles = last;
        if (handles == null || !handles.of(tenant, service)) {
            handles = byTenantAndService.computeIfAbsent(tenant, t -> new HashMap<>())
                    .computeIfAbsent(service, s -> new Handles(tenant, s));
            last = handles;
        }
        Object name = span.name();
        if (!dimensions.isEmpty()) {
            probe.set(0, span.name());
            for (int i = 0; i < dimensions.size(); i++) {
                Dimension d = dimensions.get(i);
                String value = span.attributeText(d.name());
                probe.set(1 + i, value == null ? d.defaultValue() : value);
            }
            name = probe.rehash();
        }
        int slot = kindIndex(span.kind()) * STATUSES.length + statusIndex(span.statusCode());
        SeriesAccumulator.Series[][] byKindAndStatus = handles.byName.get(name);
        SeriesAccumulator.Series[] s = byKindAndStatus == null ? null : byKindAndStatus[slot];
        if (s == null) {
            if (cached >= MAX_CACHED) {
                forget();
                return series(span);
            }
            if (byKindAndStatus == null) {
                byKindAndStatus = new SeriesAccumulator.Series[KINDS.length * STATUSES.length][];
                handles.byName.put(name instanceof LabelTuple t ? t.copy() : name, byKindAndStatus);
            }
            s = newSeries(tenant, service, span.name(), KINDS[kindIndex(span.kind())],
                    STATUSES[statusIndex(span.statusCode())], name instanceof LabelTuple t ? t : null);
            byKindAndStatus[slot] = s;
            cached++;
        }
        return s;
    }

    /** Drops every cached handle (the accumulator discarded its state, or the cache is full). */
    private void forget() {
        byTenantAndService.clear();
        last = null;
        cached = 0;
    }

    /**
     * The handles of one tenant's service, by span name (by span name and dimension values, a {@link LabelTuple},
     * when dimensions are configured), then by kind and status.
     */
    private static final class Handles {
        private final String tenant;
        private final String service;
        private final Map<Object, SeriesAccumulator.Series[][]> byName = new HashMap<>();

        Handles(String tenant, String service) {
            this.tenant = tenant;
            this.service = service;
        }

        boolean of(String tenant, String service) {
            return (this.tenant == tenant || this.tenant.equals(tenant))
                    && (this.service == service || this.service.equals(service));
        }
    }

    /** @param nameAndDimensions the span name and each dimension's value, null without dimensions */
    private SeriesAccumulator.Series[] newSeries(String tenant, String service, String name, String kind, String status,
                                                 LabelTuple nameAndDimensions) {
        Label[] array = new Label[4 + dimensions.size()];
        array[0] = new Label("service", service);
        array[1] = new Label("span_name", name);
        array[2] = new Label("span_kind", kind);
        array[3] = new Label("status_code", status);
        for (int i = 0; i < dimensions.size(); i++) {
            array[4 + i] = new Label(dimensions.get(i).labelName(), nameAndDimensions.get(1 + i));
        }
        // One immutable list shared by the three keys (SeriesKey's List.copyOf keeps it as is).
        List<Label> labels = List.of(array);
        return new SeriesAccumulator.Series[] {
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_CALLS.name(), labels)),
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_SIZE.name(), labels)),
                accumulator.series(new SeriesKey(tenant, MetricFamilies.SPAN_LATENCY.name(), labels))};
    }

    /** Tempo's span_kind label value for an OTLP kind number (unknown numbers count as unspecified). */
    public static String spanKind(int kind) {
        return KINDS[kindIndex(kind)];
    }

    /** Tempo's status_code label value for an OTLP status number (unknown numbers count as unset). */
    public static String statusCode(int code) {
        return STATUSES[statusIndex(code)];
    }

    private static int kindIndex(int kind) {
        return kind >= 0 && kind < KINDS.length ? kind : 0;
    }

    private static int statusIndex(int code) {
        return code >= 0 && code < STATUSES.length ? code : 0;
    }

    /** Null for a plausible duration, else {@code negative} or {@code too_long}. */
    static String invalidDurationReason(long durationNanos) {
        return durationNanos < 0 ? "negative" : durationNanos > MAX_DURATION_NANOS ? "too_long" : null;
    }
}
