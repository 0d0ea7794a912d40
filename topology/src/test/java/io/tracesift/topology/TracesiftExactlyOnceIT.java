package io.tracesift.topology;

import io.tracesift.kafkalocal.LocalKafkaExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point 9 of the core issue: the Streams app in its own JVM is SIGKILLed midway through 100,000 spans and
 * restarted; a read_committed consumer then sees every trace the sampler keeps exactly once, whole.
 */
class TracesiftExactlyOnceIT {
    private static final String APPLICATION_ID = "tracesift-eos-it";
    private static final int SPANS = 100_000;

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @TempDir
    Path stateDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledAndRestartedPipelineEmitsEveryKeptTraceExactlyOnceWhole() throws Exception {
        KAFKA.createTopics(3, "otlp_spans");
        KAFKA.createTopics(1, "tracesift-dlq");
        TraceWorkload workload = new TraceWorkload("otlp_spans", 42, SPANS, System.currentTimeMillis());
        int total = workload.records.size();

        Process first = start("first");
        CountDownLatch halfSent = new CountDownLatch(1);
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed(workload.records, halfSent));
        assertThat(halfSent.await(120, TimeUnit.SECONDS)).isTrue();
        // Kill while the app works through the burst that follows the first half.
        long committedBeforeKill = waitForCommittedOffsets(total / 2 + 1, Duration.ofSeconds(60));
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf("killed after %d of %d input records were committed%n", committedBeforeKill, total);
        assertThat(committedBeforeKill).as("killed midway: some but not all input committed")
                .isBetween((long) total / 2 + 1, (long) total - 1);

        feeding.get(120, TimeUnit.SECONDS);
        start("second");
        try (KeptTraceReader reader = new KeptTraceReader(KAFKA.bootstrapServers())) {
            long expectedSpans = workload.kept.values().stream().mapToLong(e -> e.spanIdsHex().size()).sum();
            reader.readUntil(expectedSpans, Duration.ofSeconds(120));
            reader.drain(Duration.ofSeconds(5));
            assertThat(workload.spans).isGreaterThanOrEqualTo(SPANS);
            assertThat(workload.kept.size()).isGreaterThan(200);
            reader.assertExactly(workload.kept);
        }
        assertThat(waitForCommittedOffsets(total, Duration.ofSeconds(30))).isEqualTo(total);
    }

    private Process start(String name) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", classpath,
                TracesiftStreamsProcess.class.getName(), KAFKA.bootstrapServers(), APPLICATION_ID, stateDir.toString())
                .redirectErrorStream(true).start();
        processes.add(process);
        CountDownLatch running = new CountDownLatch(1);
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                    if (line.equals("RUNNING")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                // The process was killed: its output ends here.
            }
        }, "streams-process-" + name);
        pump.setDaemon(true);
        pump.start();
        assertThat(running.await(90, TimeUnit.SECONDS)).as("%s process reached RUNNING", name).isTrue();
        return process;
    }

    /** Sends the first half in slices with pauses, then the rest in one burst, during which the app is killed. */
    private static void feed(List<ProducerRecord<byte[], byte[]>> records, CountDownLatch halfSent) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            int half = records.size() / 2;
            int slice = half / 20 + 1;
            for (int i = 0; i < half; i++) {
                producer.send(records.get(i));
                if ((i + 1) % slice == 0) {
                    producer.flush();
                    Thread.sleep(150);
                }
            }
            producer.flush();
            halfSent.countDown();
            records.subList(half, records.size()).forEach(producer::send);
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the application's committed input offsets sum to at least {@code atLeast}; returns the sum. */
    private static long waitForCommittedOffsets(long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sum = 0;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get();
                sum = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals("otlp_spans"))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (sum >= atLeast) {
                    return sum;
                }
                Thread.sleep(100);
            }
        }
        return sum;
    }
}
