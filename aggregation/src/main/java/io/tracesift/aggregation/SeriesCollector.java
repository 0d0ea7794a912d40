package io.tracesift.aggregation;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exposes accumulated series as Prometheus counters and classic histograms (with their exemplar, shown in the
 * OpenMetrics format). Reads the {@link SeriesSource} on every scrape; duplicate keys (one per partition store)
 * are summed. Register {@link #allTenants} with the registry behind {@code /metrics}; build {@link #forTenant}
 * per request for {@code /metrics/tenant/<id>}.
 */
public final class SeriesCollector implements MultiCollector {
    private final SeriesSource source;
    private final String tenant;

    private SeriesCollector(SeriesSource source, String tenant) {
        this.source = source;
        this.tenant = tenant;
    }

    /** Every tenant's series, each labelled {@code tenant}: the operator's view. */
    public static SeriesCollector allTenants(SeriesSource source) {
        return new SeriesCollector(source, null);
    }

    /** One tenant's series only. */
    public static SeriesCollector forTenant(SeriesSource source, String tenant) {
        return new SeriesCollector(source, tenant);
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Map<Labels, SeriesValue>> families = new TreeMap<>();
        SeriesSource.Visitor sum = (key, value) ->
                families.computeIfAbsent(key.family(), f -> new HashMap<>()).merge(labels(key), value, SeriesCollector::sum);
        if (tenant == null) {
            source.forEachSeries(sum);
        } else {
            source.forEachSeries(tenant, sum);
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        families.forEach((family, series) -> snapshots.add(snapshot(family, series)));
        return new MetricSnapshots(snapshots);
    }

    /** Sums visits of one series; a value of the other type (only a bug could store one) is left out. */
    private static SeriesValue sum(SeriesValue a, SeriesValue b) {
        return a.getClass() == b.getClass() ? a.merge(b) : a;
    }

    /**
     * One family's snapshot. Its type comes from the catalog, or for unknown names from the first value; values
     * of the other type (which only a bug could store under one family) are left out rather than failing the
     * whole scrape.
     */
    private static MetricSnapshot snapshot(String name, Map<Labels, SeriesValue> series) {
        MetricFamily known = MetricFamilies.byName(name);
        boolean counter = known != null ? known.type() == MetricFamily.Type.COUNTER
                : series.values().iterator().next() instanceof CounterValue;
        String help = known != null ? known.help() : "tracesift series " + name;
        List<Map.Entry<Labels, SeriesValue>> points = new ArrayList<>(series.entrySet());
        points.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        if (counter) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
            for (Map.Entry<Labels, SeriesValue> p : points) {
                if (p.getValue() instanceof CounterValue c) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(p.getKey()).value(c.value()).build());
                }
            }
            return b.build();
        }
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
        for (Map.Entry<Labels, SeriesValue> p : points) {
            if (p.getValue() instanceof HistogramValue h) {
                b.dataPoint(histogramPoint(p.getKey(), h));
            }
        }
        return b.build();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(Labels labels, HistogramValue h) {
        double[] finite = h.upperBounds();
        double[] bounds = new double[finite.length + 1];
        System.arraycopy(finite, 0, bounds, 0, finite.length);
        bounds[finite.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.HistogramDataPointSnapshot.Builder b = HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels).classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.bucketCounts()));
        b.sum(h.sum());
        Exemplar e = h.exemplar();
        if (e != null) {
            b.exemplars(Exemplars.of(io.prometheus.metrics.model.snapshots.Exemplar.builder()
                    .value(e.value()).traceId(e.traceIdHex()).spanId(e.spanIdHex()).timestampMillis(e.epochMillis()).build()));
        }
        return b.build();
    }

    private static Labels labels(SeriesKey key) {
        String[] names = new String[key.labels().size() + 1];
        String[] values = new String[names.length];
        names[0] = "tenant";
        values[0] = key.tenant();
        for (int i = 0; i < key.labels().size(); i++) {
            names[i + 1] = key.labels().get(i).name();
            values[i + 1] = key.labels().get(i).value();
        }
        return Labels.of(names, values);
    }
}
