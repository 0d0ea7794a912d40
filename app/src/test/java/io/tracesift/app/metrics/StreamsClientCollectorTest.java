package io.tracesift.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsClientCollectorTest {

    private static void put(Map<MetricName, Metric> metrics, String name, String group, Object value, String... tags) {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
        }
        MetricName metricName = new MetricName(name, group, "", t);
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void bridgesMainConsumerLagAndThreadProcessRate() throws Exception {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        put(metrics, "records-lag", "consumer-fetch-manager-metrics", 42.0,
                "client-id", "app-1-StreamThread-1-consumer", "topic", "otlp_spans", "partition", "0");
        put(metrics, "records-lag", "consumer-fetch-manager-metrics", 7.0,
                "client-id", "app-1-StreamThread-1-restore-consumer", "topic", "app-tracesift-spans-changelog", "partition", "0");
        put(metrics, "records-lag", "consumer-fetch-manager-metrics", Double.NaN,
                "client-id", "app-1-StreamThread-1-consumer", "topic", "otlp_spans", "partition", "1");
        put(metrics, "records-lag-max", "consumer-fetch-manager-metrics", 99.0, "client-id", "app-1-StreamThread-1-consumer");
        put(metrics, "process-rate", "stream-thread-metrics", 1234.5, "thread-id", "app-1-StreamThread-1");
        put(metrics, "process-rate", "stream-task-metrics", 1.0, "thread-id", "app-1-StreamThread-1", "task-id", "0_0");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, new StreamsClientCollector(() -> metrics).collect());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).containsExactly(
                "tracesift_kafka_consumer_lag_records{partition=\"0\",topic=\"otlp_spans\"} 42.0",
                "tracesift_kafka_streams_process_rate{thread=\"app-1-StreamThread-1\"} 1234.5");
    }
}
