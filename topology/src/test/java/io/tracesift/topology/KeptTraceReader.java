package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static io.tracesift.topology.Otlp.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every tenant topic with {@code read_committed}, as a downstream consumer would, and collects each
 * trace's span ids (duplicates kept, so a duplicate shows) and the rules stamped on them.
 */
final class KeptTraceReader implements AutoCloseable {
    final Map<String, List<String>> spanIdsByTrace = new HashMap<>();
    final Map<String, List<String>> rulesByTrace = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private long spansRead;

    KeptTraceReader(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kept-trace-reader-" + System.nanoTime());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Pattern.compile("traces\\..*"));
    }

    /** Polls until {@code spans} spans were read or {@code timeout} passed; returns the spans read so far. */
    long readUntil(long spans, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spansRead < spans && System.nanoTime() < deadline) {
            poll();
        }
        return spansRead;
    }

    /** Keeps reading for {@code quiet}, so late duplicates would show. */
    void drain(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            String tenant = record.topic().substring("traces.".length());
            String trace = tenant + "/" + record.key();
            ExportTraceServiceRequest request = TopologyFixture.parse(record.value());
            for (Span span : Otlp.spansOf(List.of(request))) {
                assertThat(hex(span.getTraceId())).as("span of trace %s", trace).isEqualTo(record.key());
                spanIdsByTrace.computeIfAbsent(trace, t -> new ArrayList<>()).add(hex(span.getSpanId()));
                rulesByTrace.computeIfAbsent(trace, t -> new ArrayList<>())
                        .add(Otlp.attribute(span, TracesiftTopology.RULE_ATTRIBUTE).getStringValue());
                spansRead++;
            }
        }
    }

    /** Every expected trace whole and exactly once, no other trace, each span stamped with its trace's rule. */
    void assertExactly(Map<String, TraceWorkload.Expected> expected) {
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        expected.forEach((trace, e) -> {
            List<String> seen = spanIdsByTrace.get(trace);
            if (seen == null) {
                missing.add(trace);
            } else if (seen.size() != e.spanIdsHex().size() || !e.spanIdsHex().equals(new TreeSet<>(seen))) {
                wrong.add(trace + ": " + seen.size() + " spans seen (" + new TreeSet<>(seen).size()
                        + " distinct), " + e.spanIdsHex().size() + " expected");
            } else if (!rulesByTrace.get(trace).stream().allMatch(e.rule()::equals)) {
                wrong.add(trace + ": rules " + new TreeSet<>(rulesByTrace.get(trace)) + ", expected " + e.rule());
            }
        });
        List<String> unexpected = spanIdsByTrace.keySet().stream().filter(t -> !expected.containsKey(t)).toList();
        assertThat(missing).as("kept traces missing from the output (of %d)", expected.size()).isEmpty();
        assertThat(unexpected).as("traces in the output the sampler drops").isEmpty();
        assertThat(wrong).as("traces partial, duplicated or with the wrong rule").isEmpty();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
