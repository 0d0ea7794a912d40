package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.serdes.OtlpEncoding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracesift run} from the shaded jar against a real broker: HTTP, a kept trace end to end, clean SIGTERM. */
class RunCommandIT {

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static final Path JAR = Path.of("target", "tracesift.jar").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private Process tracesift;
    private String applicationId;

    @BeforeAll
    static void topics() {
        KAFKA.createTopics(2, "otlp_spans");
        KAFKA.createTopics(1, "tracesift-dlq");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (tracesift != null && tracesift.isAlive()) {
            tracesift.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process run(String... args) throws IOException {
        applicationId = "it-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "run",
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--state-dir", dir.resolve("state").toString(),
                "--application-id", applicationId));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TRACESIFT_") || name.startsWith("MALLOC_"));
        return builder.start();
    }

    private String err() throws IOException {
        return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(tracesift.isAlive()).as("tracesift run is still running; stderr: %s", err()).isTrue();
            try {
                if (get(port, "/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP port opens once the configuration is valid and the cluster answered
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within 120 s; stderr: " + err());
    }

    private static ExportTraceServiceRequest failedTrace(byte[] traceId) {
        long now = System.currentTimeMillis() * 1_000_000L;
        Span root = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).setName("GET /checkout")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(now - 5_000_000L).setEndTimeUnixNano(now)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)).build();
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        request.addResourceSpansBuilder().setResource(Resource.newBuilder()
                        .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("shop"))))
                .addScopeSpansBuilder().addSpans(root);
        return request.build();
    }

    /** Sends a one-span failed trace (kept by the default policies) for the tenant; returns its id in hex. */
    private static String sendFailedTrace(String tenant) throws Exception {
        byte[] traceId = new byte[16];
        ThreadLocalRandom.current().nextBytes(traceId);
        String traceHex = HexFormat.of().formatHex(traceId);
        Properties producerConfig = new Properties();
        producerConfig.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("otlp_spans", traceHex.getBytes(StandardCharsets.UTF_8),
                    OtlpEncoding.OTLP_PROTO.encode(failedTrace(traceId)));
            record.headers().add("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        return traceHex;
    }

    private HttpResponse<String> get(int port, String path, String apiKey) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthAndMetricsKeepsAFailedTraceAndStopsCleanlyOnSigterm() throws Exception {
        int port = ListenPorts.free();
        tracesift = run("--http-port", String.valueOf(port));
        awaitReady(port);

        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").body()).isEqualTo("ready: RUNNING\n");
        assertThat(get(port, "/metrics").body()).contains("jvm_memory_used_bytes");

        String traceHex = sendFailedTrace("acme");

        Properties consumerConfig = new Properties();
        consumerConfig.put("bootstrap.servers", KAFKA.bootstrapServers());
        consumerConfig.put("group.id", "run-it-" + UUID.randomUUID());
        consumerConfig.put("auto.offset.reset", "earliest");
        consumerConfig.put("isolation.level", "read_committed");
        // traces.acme appears only once the pipeline sees the tenant: look for it every second, not every 5 minutes.
        consumerConfig.put("metadata.max.age.ms", "1000");
        List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Pattern.compile("traces\\.acme"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (kept.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(kept::add);
            }
        }
        assertThat(kept).as("the failed trace, kept in traces.acme; stderr: %s", err()).hasSize(1);
        assertThat(new String(kept.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(traceHex);
        assertThat(OtlpEncoding.OTLP_PROTO.decode(kept.get(0).value()).getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
                .isEqualTo("GET /checkout");

        tracesift.destroy();

        assertThat(tracesift.waitFor(90, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        String err = err();
        assertThat(err).contains("\"message\":\"tracesift stopped\"")
                .as("started by java -jar without the script's malloc settings, it says what to set")
                .contains("native allocator: glibc defaults").contains("start with MALLOC_ARENA_MAX=1 ");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups()
                    .get(applicationId).get(30, TimeUnit.SECONDS);
            assertThat(group.members()).as("the stopped instance left its group (%s)", group.groupState()).isEmpty();
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : err.lines().toList()) {
            assertThat(json.readTree(line).has("log.level")).as("a JSON log line: %s", line).isTrue();
        }
    }

    @Test
    void aMissingInputTopicIsNamedAtStartup() throws Exception {
        Path config = dir.resolve("tracesift.yaml");
        Files.writeString(config, "topics:\n  input: no-such-topic\n");

        tracesift = run("--http-port", "0", "--config", config.toString());

        assertThat(tracesift.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(tracesift.exitValue()).isEqualTo(1);
        assertThat(err()).contains("tracesift run: topic 'no-such-topic' (topics.input) does not exist on Kafka at "
                + KAFKA.bootstrapServers());
    }

    @Test
    void anInvalidTopologySectionIsReportedWithTheAppsProblems() throws Exception {
        Path config = dir.resolve("tracesift.yaml");
        Files.writeString(config, "assembly:\n  send-delay: soon\nhttp-port: -1\n");

        tracesift = run("--config", config.toString());

        assertThat(tracesift.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tracesift.exitValue()).isEqualTo(2);
        assertThat(err()).startsWith("tracesift run: invalid configuration, 2 problems:")
                .contains("  - http-port: '-1'")
                .contains("  - assembly.send-delay: 'soon' is not a duration");
    }

    @Test
    void aKeptTraceIsServedByTheQueryApiToItsTenantOnly() throws Exception {
        Path config = dir.resolve("tracesift.yaml");
        Files.writeString(config, """
                query:
                  api-keys:
                    "k-initech-0123456789": initech
                    "k-globex-0123456789": globex
                kafka:
                  # the query feed subscribes to traces.* by pattern: see traces.initech within a second, not 5 minutes
                  metadata.max.age.ms: "1000"
                """);
        int port = ListenPorts.free();
        tracesift = run("--http-port", String.valueOf(port), "--config", config.toString());
        awaitReady(port);

        // Not acme: the broker and otlp_spans are shared, and the other test counts what reaches traces.acme.
        String traceHex = sendFailedTrace("initech");
        String path = "/api/traces/" + traceHex;
        HttpResponse<String> found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            found = get(port, path, "k-initech-0123456789");
            if (found.statusCode() == 200) {
                break;
            }
            // 404 until the trace is kept; 503 while the new traces.initech topic makes Kafka Streams rebalance
            assertThat(found.statusCode()).as("while the trace is on its way: %s", found.body()).isIn(404, 503);
            Thread.sleep(500);
        }
        assertThat(found.statusCode()).as("the kept trace within 120 s; stderr: %s", err()).isEqualTo(200);
        JsonNode trace = new ObjectMapper().readTree(found.body()).path("data").path(0);
        assertThat(trace.path("traceID").asText()).isEqualTo(traceHex);
        assertThat(trace.path("spans")).hasSize(1);
        assertThat(trace.path("spans").path(0).path("operationName").asText()).isEqualTo("GET /checkout");

        HttpResponse<String> anonymous = get(port, path);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("GET /checkout");
        HttpResponse<String> otherTenant = get(port, path, "k-globex-0123456789");
        long rebalanceDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (otherTenant.statusCode() == 503 && System.nanoTime() < rebalanceDeadline) {
            // another test's new traces.* topic can make Kafka Streams rebalance again: 503 until it is done
            assertThat(otherTenant.body()).doesNotContain("GET /checkout");
            Thread.sleep(500);
            otherTenant = get(port, path, "k-globex-0123456789");
        }
        assertThat(otherTenant.statusCode()).as("%s", otherTenant.body()).isEqualTo(404);
        assertThat(otherTenant.body()).doesNotContain("GET /checkout");

        HttpResponse<String> page = get(port, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(get(port, "/healthz").statusCode()).as("exact routes still answer beside the '/' prefix").isEqualTo(200);
    }
}
