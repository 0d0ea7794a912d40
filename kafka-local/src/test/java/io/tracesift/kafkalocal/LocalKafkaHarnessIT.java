package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.serdes.OtlpEncoding;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness end to end: a real broker, an explicit topic, an OTLP export written with the project's codec. */
class LocalKafkaHarnessIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @Test
    void anOtlpExportProducedWithTheProjectCodecIsConsumedBackEqual() throws Exception {
        KAFKA.createTopics(3, "otlp_spans");
        ExportTraceServiceRequest sent = export();
        byte[] traceId = sent.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray();

        RecordMetadata written;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            written = producer.send(new ProducerRecord<>("otlp_spans", traceId, OtlpEncoding.OTLP_PROTO.encode(sent)))
                    .get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        TopicPartition partition = new TopicPartition("otlp_spans", written.partition());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(1);
        assertThat(received.get(0).offset()).isEqualTo(written.offset());
        assertThat(received.get(0).key()).isEqualTo(traceId);
        assertThat(OtlpEncoding.AUTO.decode(received.get(0).value())).isEqualTo(sent);
    }

    private static ExportTraceServiceRequest export() {
        ByteString traceId = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        Span root = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}))
                .setName("GET /checkout")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_764_000_000_000_000_000L)
                .setEndTimeUnixNano(1_764_000_000_250_000_000L)
                .addAttributes(attribute("http.response.status_code",
                        AnyValue.newBuilder().setIntValue(500).build()))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .build();
        Span child = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(new byte[] {2, 2, 2, 2, 2, 2, 2, 2}))
                .setParentSpanId(root.getSpanId())
                .setName("SELECT orders")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(1_764_000_000_010_000_000L)
                .setEndTimeUnixNano(1_764_000_000_200_000_000L)
                .addAttributes(attribute("db.system", AnyValue.newBuilder().setStringValue("postgresql").build()))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name",
                                        AnyValue.newBuilder().setStringValue("checkout").build()))
                                .addAttributes(attribute("tenant.id", AnyValue.newBuilder()
                                        .setBytesValue(ByteString.copyFrom("acme", StandardCharsets.UTF_8)).build())))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet"))
                                .addSpans(root)
                                .addSpans(child)))
                .build();
    }

    private static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
