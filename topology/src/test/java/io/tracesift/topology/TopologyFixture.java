package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.tenantrouting.TenantId;

import com.google.protobuf.InvalidProtocolBufferException;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole topology in a TopologyTestDriver, with wall-clock time advanced by hand. */
final class TopologyFixture implements AutoCloseable {
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    final PipelineCounters counters = new PipelineCounters();
    final List<TenantId> ensuredTenants = new ArrayList<>();
    final TopologySettings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> input;
    private final Map<String, List<TestRecord<String, byte[]>>> outputs = new HashMap<>();
    private final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private long nowMs = T0;

    TopologyFixture() {
        this(Map.of());
    }

    /** @param config the YAML root, e.g. {@code Map.of("assembly", Map.of("send-delay", "5s"))} */
    TopologyFixture(Map<String, Object> config) {
        List<String> problems = new ArrayList<>();
        settings = TopologySettings.fromConfig(config, problems);
        assertThat(problems).isEmpty();
        StreamsBuilder builder = new StreamsBuilder();
        TracesiftTopology.build(builder, settings, ensuredTenants::add, counters);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracesift-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("tracesift-ttd").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(T0));
        input = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A state store of the single task (null when the topology has none of that name). */
    KeyValueStore<Bytes, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    long now() {
        return nowMs;
    }

    void send(String tenantHeader, ExportTraceServiceRequest request) {
        sendRaw(tenantHeader, request.toByteArray());
    }

    void sendRaw(String tenantHeader, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (tenantHeader != null) {
            headers.add("X-Scope-OrgID", tenantHeader.getBytes(StandardCharsets.UTF_8));
        }
        input.pipeInput(new TestRecord<>(null, value, headers, Instant.ofEpochMilli(nowMs)));
    }

    /** Writes one record to another input topic (topic tenant mode: {@code otlp_spans.<tenant>}). */
    void sendTo(String topic, String tenantHeader, ExportTraceServiceRequest request) {
        RecordHeaders headers = new RecordHeaders();
        if (tenantHeader != null) {
            headers.add("X-Scope-OrgID", tenantHeader.getBytes(StandardCharsets.UTF_8));
        }
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(null, request.toByteArray(), headers, Instant.ofEpochMilli(nowMs)));
    }

    /** Writes one record to a compacted control topic ({@code tracesift-flags}, {@code tracesift-tenants}). */
    void sendControl(String topic, String key, byte[] value) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(nowMs)));
    }

    /** Moves wall-clock time forward in steps no longer than the punctuation interval, firing punctuators. */
    void advance(Duration duration) {
        long target = nowMs + duration.toMillis();
        long step = settings.punctuateInterval().toMillis();
        while (nowMs < target) {
            long next = Math.min(target, nowMs + step);
            driver.advanceWallClockTime(Duration.ofMillis(next - nowMs));
            nowMs = next;
        }
    }

    /** Every record written to {@code traces.<tenant>} so far. */
    List<TestRecord<String, byte[]>> output(String tenant) {
        String topic = "traces." + tenant;
        List<TestRecord<String, byte[]>> records = outputs.computeIfAbsent(topic, t -> new ArrayList<>());
        if (driver.producedTopicNames().contains(topic)) {
            records.addAll(driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList());
        }
        return records;
    }

    List<ExportTraceServiceRequest> outputRequests(String tenant) {
        return output(tenant).stream().map(r -> parse(r.value())).toList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        if (driver.producedTopicNames().contains(settings.dlqTopic())) {
            deadLetters.addAll(driver.createOutputTopic(settings.dlqTopic(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList());
        }
        return deadLetters;
    }

    /** Every record written to {@code topic} since the last call (changelog topics included). */
    List<TestRecord<byte[], byte[]>> records(String topic) {
        return driver.producedTopicNames().contains(topic)
                ? driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList()
                : List.of();
    }

    static ExportTraceServiceRequest parse(byte[] value) {
        try {
            return ExportTraceServiceRequest.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("output is not an ExportTraceServiceRequest", e);
        }
    }

    static String header(TestRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    OpenTraces openTraces() {
        return new OpenTraces(driver.getKeyValueStore(TracesiftTopology.INDEX_STORE),
                driver.getKeyValueStore(TracesiftTopology.SPAN_STORE));
    }

    @Override
    public void close() {
        driver.close();
    }
}
