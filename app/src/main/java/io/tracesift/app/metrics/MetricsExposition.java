package io.tracesift.app.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tracesift.aggregation.SeriesCollector;
import io.tracesift.aggregation.SeriesSource;
import io.tracesift.app.http.HttpRoute;
import io.tracesift.app.http.MetricsRoute;
import io.tracesift.query.ApiKeys;
import io.tracesift.topology.LocalSeriesSource;
import io.tracesift.topology.PipelineCounters;

import org.apache.kafka.streams.KafkaStreams;

import java.util.List;

/**
 * Everything one instance exposes: the metric stores of its active tasks (every tenant, labelled {@code tenant}
 * and {@code partition}), the pipeline's health, Kafka Streams client metrics, JVM and process metrics; on
 * {@code /metrics} (operator) and {@code /metrics/tenant/<id>} (one tenant, with its API key).
 */
public final class MetricsExposition {
    private MetricsExposition() {
    }

    /** The routes for one running pipeline; registers its collectors in {@code registry}. */
    public static List<HttpRoute> routes(PrometheusRegistry registry, KafkaStreams streams, PipelineCounters counters,
                                         ApiKeys keys) {
        SeriesSource series = new LocalSeriesSource(streams);
        JvmMetrics.builder().register(registry);
        registry.register(SeriesCollector.allTenants(series));
        registry.register(new PipelineCollector(counters));
        registry.register(new StreamsClientCollector(streams::metrics));
        return List.of(MetricsRoute.of(registry), TenantMetricsRoute.of(series, keys));
    }
}
