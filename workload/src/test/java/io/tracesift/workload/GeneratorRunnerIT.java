package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.serdes.TraceIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GeneratorRunnerIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void writesEveryGeneratedSpanToKafkaKeyedByTraceIdWithTheTenantHeader() throws Exception {
        GeneratorSettings settings = GeneratorSettings.defaults().withTraceCount(300).withStartTime(START)
                .withHugeTraces(0, 1);
        List<GeneratorRunner.Progress> reports = new ArrayList<>();
        GeneratorRunner.Progress result;
        try (KafkaTraceSink sink = new KafkaTraceSink(kafka(), "direct_spans", "X-Scope-OrgID",
                Partitioning.SARAMA_FNV1A)) {
            result = GeneratorRunner.run(settings, sink, GeneratorRunner.Options.asFastAsPossible(), reports::add);
        }

        assertThat(result.finished()).isTrue();
        assertThat(result.workflows()).isEqualTo(300);
        assertThat(result.failedBatches()).isZero();
        assertThat(reports).last().isEqualTo(result);
        Topic topic = read("direct_spans", result.spans());
        assertThat(topic.spans).isEqualTo(result.spans());
        assertThat(topic.traceIds).hasSize(300);
        assertThat(topic.tenants).containsExactlyInAnyOrder("acme", "globex", "initech");
    }

    @Test
    void pacedRunThroughTheGatewayFollowsTheRateAndStopsAtTheDeadline() throws Exception {
        GatewaySettings gatewaySettings = GatewaySettings.defaults(kafka()).withHost("127.0.0.1").withPort(0)
                .withTopic("gateway_spans", 4);
        GeneratorSettings settings = GeneratorSettings.defaults().withRate(40).withHugeTraces(0, 1)
                .withStartTime(START);
        long timelineStart = START.getEpochSecond() * 1_000_000_000L;
        WorkflowGenerator timeline = new WorkflowGenerator(settings, timelineStart);
        long dueInFourSeconds = 0;
        for (TraceBatch batch = timeline.next(); batch.emitAtNanos() - timelineStart < 4_000_000_000L;
             batch = timeline.next()) {
            dueInFourSeconds++;
        }
        GeneratorRunner.Progress result;
        try (OtlpGateway gateway = OtlpGateway.start(gatewaySettings);
             GatewayTraceSink sink = new GatewayTraceSink(gateway.endpoint(), "X-Scope-OrgID")) {
            result = GeneratorRunner.run(settings, sink,
                    GeneratorRunner.Options.realTime().withMaxDuration(Duration.ofSeconds(4)), p -> { });
            assertThat(gateway.counters().acceptedSpans()).isEqualTo(result.spans());
        }

        assertThat(result.elapsed()).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(8));
        // batches are sent when they fall due on the timeline: all those due in the first 4 s, and no later ones
        assertThat(dueInFourSeconds).isGreaterThan(10);
        assertThat(result.batches()).isBetween(dueInFourSeconds - 3, dueInFourSeconds);
        assertThat(result.failedBatches()).isZero();
        Topic topic = read("gateway_spans", result.spans());
        assertThat(topic.spans).isEqualTo(result.spans());
    }

    private static Map<String, Object> kafka() {
        return Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    }

    private record Topic(long spans, Set<String> traceIds, Set<String> tenants) {}

    private static Topic read(String topicName, long expectedSpans) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        long spans = 0;
        Set<String> traceIds = new HashSet<>();
        Set<String> tenants = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topicName));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (spans < expectedSpans && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = new String(record.key(), StandardCharsets.US_ASCII);
                    traceIds.add(key);
                    tenants.add(new String(record.headers().lastHeader("X-Scope-OrgID").value(),
                            StandardCharsets.UTF_8));
                    for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span span : ss.getSpansList()) {
                                assertThat(TraceIds.toHex(span.getTraceId())).isEqualTo(key);
                                spans++;
                            }
                        }
                    }
                }
            }
        }
        return new Topic(spans, traceIds, tenants);
    }
}
