package io.tracesift.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Bridges two Kafka Streams client metrics to Prometheus: the main consumer's {@code records-lag} per input
 * partition and each stream thread's {@code process-rate}. Read from {@code KafkaStreams.metrics()} at scrape time.
 */
public final class StreamsClientCollector implements MultiCollector {
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    /** @param metrics usually {@code streams::metrics} */
    public StreamsClientCollector(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        Map<Labels, Double> lag = new TreeMap<>();
        Map<Labels, Double> rate = new TreeMap<>();
        metrics.get().forEach((name, metric) -> {
            if (!(metric.metricValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return;
            }
            Map<String, String> tags = name.tags();
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && tags.containsKey("partition") && !tags.getOrDefault("client-id", "").contains("restore-consumer")) {
                lag.merge(Labels.of("topic", tags.get("topic"), "partition", tags.get("partition")), n.doubleValue(), Double::sum);
            } else if (name.name().equals("process-rate") && name.group().equals("stream-thread-metrics")) {
                rate.put(Labels.of("thread", tags.getOrDefault("thread-id", "")), n.doubleValue());
            }
        });
        return MetricSnapshots.of(
                gauge("tracesift_kafka_consumer_lag_records", "Kafka Streams consumer lag in records (records-lag), per input partition.", lag),
                gauge("tracesift_kafka_streams_process_rate", "Records processed per second by each stream thread (process-rate).", rate));
    }

    private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build()));
        return b.build();
    }
}
