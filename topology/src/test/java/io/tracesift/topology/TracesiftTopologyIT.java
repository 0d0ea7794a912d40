package io.tracesift.topology;

import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantResolution;
import io.tracesift.tenantrouting.TenantSettings;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;

import com.google.protobuf.ByteString;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.traceId;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline in this JVM against a real broker: whole kept traces in tenant topics, bad input in the DLQ. */
class TracesiftTopologyIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void keptTracesReachTheirTenantTopicsWholeAndBadInputReachesTheDlq() throws Exception {
        KAFKA.createTopics(3, "otlp_spans");
        KAFKA.createTopics(1, "tracesift-dlq");
        long now = System.currentTimeMillis();
        TraceWorkload workload = new TraceWorkload("otlp_spans", 7, 3_000, now);

        List<String> problems = new ArrayList<>();
        // The producer below partitions keyed records as the Java client does: the assembly routes them alike.
        TopologySettings settings = TopologySettings.fromConfig(
                Map.of("assembly", Map.of("partitioner", "kafka-murmur2")), problems);
        PipelineCounters counters = new PipelineCounters();
        StreamsBuilder builder = new StreamsBuilder();
        try (TopicProvisioner provisioner = new TopicProvisioner(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()), TenantTopicSpec.defaults())) {
            settings.tenancy().controlTopics().forEach(provisioner::ensureCompacted);
            TracesiftTopology.build(builder, settings, t -> provisioner.ensure(t, TenantSettings.DEFAULTS), counters);
            Properties props = TracesiftTopology.streamsProperties("tracesift-it", KAFKA.bootstrapServers(),
                    stateDir.toString(), Map.of());
            try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                 KafkaProducer<byte[], byte[]> producer = producer();
                 KeptTraceReader reader = new KeptTraceReader(KAFKA.bootstrapServers())) {
                streams.start();
                workload.records.forEach(producer::send);
                producer.send(new ProducerRecord<>("otlp_spans", "{ this is not JSON".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>("otlp_spans",
                        request("api", span(traceId(1, 1), 1, 0, now, now + 5, true)).toByteArray()));
                producer.flush();

                long expectedSpans = workload.kept.values().stream().mapToLong(e -> e.spanIdsHex().size()).sum();
                assertThat(reader.readUntil(expectedSpans, Duration.ofSeconds(60))).isEqualTo(expectedSpans);
                reader.drain(Duration.ofSeconds(3));
                reader.assertExactly(workload.kept);
                assertThat(workload.kept.size()).isGreaterThan(10);

                assertThat(deadLetterReasons()).containsExactlyInAnyOrder("undecodable-json", TenantResolution.MISSING_TENANT);
                assertThat(counters.spansAccepted()).isEqualTo(workload.spans);
                // Keyed records hold one trace each and sit on their trace's partition already: nearly all stay
                // in their task (those before the first group through the topic cannot know it). Groups cut from
                // the keyless multi-trace records mostly cross.
                long keyed = workload.records.stream().filter(r -> r.key() != null).count();
                Map<String, Long> routes = counters.spanGroupsByRoute();
                assertThat(routes.get("local")).isGreaterThan(keyed * 3 / 4);
                assertThat(routes.get("repartition")).isGreaterThan(keyed / 10);

                // A trace whose root has not come stays open; interactive queries read its spans, which the span
                // store's young window holds in memory rather than in RocksDB.
                ByteString open = traceId(2, 2);
                producer.send(new ProducerRecord<>("otlp_spans", request(Map.of("service.name", "api", "tenant.id", "acme"),
                        List.of(span(open, 21, 20, now, now + 5, false), span(open, 22, 20, now, now + 7, false)))
                        .toByteArray()));
                producer.flush();
                assertThat(openSpanCount(streams, open, Duration.ofSeconds(20))).isEqualTo(2);
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            String repartition = "tracesift-it-" + TracesiftTopology.REPARTITION + "-repartition";
            assertThat(admin.describeTopics(List.of(repartition)).allTopicNames().get().get(repartition).partitions())
                    .hasSize(3);
            var topics = admin.describeTopics(List.of("traces.acme", "traces.globex")).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(TenantTopicSpec.DEFAULT_PARTITIONS));
        }
    }

    /** How many spans interactive queries find in the open trace, once they find any (0 if none in time). */
    private static int openSpanCount(KafkaStreams streams, ByteString traceId, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Optional<OpenTraces.OpenTrace> trace = new OpenTraces(
                        streams.store(StoreQueryParameters.fromNameAndType(TracesiftTopology.INDEX_STORE,
                                QueryableStoreTypes.<Bytes, byte[]>keyValueStore())),
                        streams.store(StoreQueryParameters.fromNameAndType(TracesiftTopology.SPAN_STORE,
                                QueryableStoreTypes.<Bytes, byte[]>keyValueStore())))
                        .find(new TenantId("acme"), traceId.toByteArray());
                int spans = trace.map(t -> Otlp.spansOf(List.of(t.spans())).size()).orElse(0);
                if (spans > 0) {
                    return spans;
                }
            } catch (InvalidStateStoreException e) {
                // rebalancing: ask again
            }
            Thread.sleep(100);
        }
        return 0;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> deadLetterReasons() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("tracesift-dlq"));
            List<String> reasons = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (reasons.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    reasons.add(new String(r.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8));
                }
            }
            return reasons;
        }
    }
}
