package io.tracesift.app;

import static io.tracesift.app.LocalHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OpenTelemetry client end to end: two {@link SampleService} JVMs with the official Java agent (copied to
 * target/otel/ by the build) export http/protobuf to the demo's gateway for tenant acme; service A calls service B
 * over java.net.http, B fails. The propagated context must make one trace with both services and the right
 * parent/child links, kept (error) in traces.acme and served by the query API.
 */
class OtelAgentIT {

    private static final Path JAR = Path.of("target", "tracesift.jar");
    private static final Path AGENT = Path.of("target", "otel", "opentelemetry-javaagent.jar");
    private static final Pattern BOOTSTRAP = Pattern.compile("Kafka broker ready at (\\S+) ");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void agentTracesAcrossTwoServicesArriveAsOneTraceWithTheirLinks() throws Exception {
        assertThat(AGENT).as("the build copies the agent (maven-dependency-plugin, pre-integration-test)").exists();
        int httpPort = ListenPorts.free();
        int gatewayPort = ListenPorts.free();
        Process demo = start("demo", List.of(java(), "-jar", JAR.toString(), "demo", "--rate", "0", "--http-port",
                String.valueOf(httpPort), "--gateway-port", String.valueOf(gatewayPort), "--broker-port", "0",
                "--data-dir", dir.resolve("demo").toString()), Map.of());
        awaitOutput(demo, "demo", "Ctrl-C stops everything.", Duration.ofSeconds(150));
        Matcher bootstrap = BOOTSTRAP.matcher(out("demo"));
        assertThat(bootstrap.find()).isTrue();

        int portB = ListenPorts.free();
        int portA = ListenPorts.free();
        start("service-b", agentCommand(portB, null), agentEnvironment("service-b", gatewayPort));
        start("service-a", agentCommand(portA, "http://127.0.0.1:" + portB), agentEnvironment("service-a", gatewayPort));
        awaitReady(portB);
        awaitReady(portA);

        HttpResponse<String> checkout = get(portA, "/checkout", Map.of());
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(502);
        assertThat(checkout.body()).contains("price service unavailable");

        // traces.acme: one trace holding A's server span (root), A's client call and B's failing server span.
        // (A kept /ready probe, a trace of its own, may be there too: the sampler keeps 10 % of clean traces.)
        Map<String, List<ServiceSpan>> traces = awaitKeptTrace(bootstrap.group(1));
        List<String> checkoutTraces = traces.keySet().stream()
                .filter(id -> traces.get(id).stream().anyMatch(s -> s.span().getName().equals("GET /checkout"))).toList();
        assertThat(checkoutTraces).as("traces holding the checkout request: %s", traces.keySet()).hasSize(1);
        String traceId = checkoutTraces.get(0);
        List<ServiceSpan> spans = traces.get(traceId);
        assertThat(spans).extracting(ServiceSpan::service).containsOnly("service-a", "service-b");
        ServiceSpan serverA = only(spans, "service-a", Span.SpanKind.SPAN_KIND_SERVER);
        ServiceSpan clientA = only(spans, "service-a", Span.SpanKind.SPAN_KIND_CLIENT);
        ServiceSpan serverB = only(spans, "service-b", Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(serverA.span().getParentSpanId().isEmpty()).as("A's server span is the root").isTrue();
        assertThat(clientA.span().getParentSpanId()).isEqualTo(serverA.span().getSpanId());
        assertThat(serverB.span().getParentSpanId()).isEqualTo(clientA.span().getSpanId());
        assertThat(serverB.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(serverA.span().getTraceId()).isEqualTo(serverB.span().getTraceId());

        // The query API, with acme's key, shows the same trace and links.
        String key = acmeKey(dir.resolve("demo").resolve("api-keys.properties"));
        JsonNode trace = awaitQueryTrace(httpPort, traceId, key);
        Map<String, JsonNode> bySpanId = new HashMap<>();
        trace.get("spans").forEach(span -> bySpanId.put(span.get("spanID").asText(), span));
        JsonNode queriedB = bySpanId.get(hex(serverB.span().getSpanId().toByteArray()));
        JsonNode queriedClient = bySpanId.get(hex(clientA.span().getSpanId().toByteArray()));
        assertThat(queriedB).isNotNull();
        assertThat(queriedClient).isNotNull();
        assertThat(reference(queriedB)).isEqualTo(hex(clientA.span().getSpanId().toByteArray()));
        assertThat(reference(queriedClient)).isEqualTo(hex(serverA.span().getSpanId().toByteArray()));
        assertThat(trace.get("processes").toString()).contains("service-a", "service-b");
    }

    private record ServiceSpan(String service, Span span) {
    }

    private Map<String, List<ServiceSpan>> awaitKeptTrace(String bootstrapServers) throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("group.id", "otel-agent-it");
        config.put("auto.offset.reset", "earliest");
        config.put("metadata.max.age.ms", "1000");
        config.put("isolation.level", "read_committed");
        Map<String, List<ServiceSpan>> traces = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("traces.acme"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
                    for (ResourceSpans resource : request.getResourceSpansList()) {
                        String service = resource.getResource().getAttributesList().stream()
                                .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                                .map(v -> v.getStringValue()).findFirst().orElse("");
                        for (ScopeSpans scope : resource.getScopeSpansList()) {
                            for (Span span : scope.getSpansList()) {
                                traces.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new ServiceSpan(service, span));
                            }
                        }
                    }
                }
                if (traces.values().stream().anyMatch(spans -> spans.stream().map(ServiceSpan::service).distinct().count() == 2)) {
                    return traces;
                }
            }
        }
        throw new AssertionError("no trace with both services in traces.acme within 120 s: " + traces
                + "\ndemo: " + out("demo") + "\nservice-a: " + out("service-a"));
    }

    private static ServiceSpan only(List<ServiceSpan> spans, String service, Span.SpanKind kind) {
        List<ServiceSpan> matching = spans.stream().filter(s -> s.service().equals(service) && s.span().getKind() == kind).toList();
        assertThat(matching).as("%s %s spans in %s", service, kind, spans).hasSize(1);
        return matching.get(0);
    }

    private static String reference(JsonNode span) {
        for (JsonNode ref : span.get("references")) {
            if (ref.get("refType").asText().equals("CHILD_OF")) {
                return ref.get("spanID").asText();
            }
        }
        return null;
    }

    private JsonNode awaitQueryTrace(int port, String traceId, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> response = null;
        while (System.nanoTime() < deadline) {
            response = get(port, "/api/traces/" + traceId, Map.of("Authorization", "Bearer " + key));
            if (response.statusCode() == 200) {
                JsonNode trace = new ObjectMapper().readTree(response.body()).get("data").get(0);
                if (trace.get("spans").size() >= 3) {
                    return trace;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("trace " + traceId + " not served by the query API: " + response.statusCode() + " " + response.body());
    }

    private List<String> agentCommand(int port, String downstream) {
        List<String> command = new ArrayList<>(List.of(java(), "-javaagent:" + AGENT, "-cp",
                Path.of("target", "test-classes").toString(), SampleService.class.getName(), String.valueOf(port)));
        if (downstream != null) {
            command.add(downstream);
        }
        return command;
    }

    private static Map<String, String> agentEnvironment(String service, int gatewayPort) {
        return Map.of(
                "OTEL_SERVICE_NAME", service,
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + gatewayPort,
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_HEADERS", "X-Scope-OrgID=acme",
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_METRICS_EXPORTER", "none",
                "OTEL_LOGS_EXPORTER", "none",
                "OTEL_BSP_SCHEDULE_DELAY", "200");
    }

    private Process start(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".txt").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("TRACESIFT_") || variable.startsWith("OTEL_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/ready", Map.of()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the agent is still starting the JVM
            }
            Thread.sleep(300);
        }
        throw new AssertionError("sample service on " + port + " not ready: " + out("service-a") + out("service-b"));
    }

    private void awaitOutput(Process process, String name, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (out(name).contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as("%s is running: %s", name, out(name)).isTrue();
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + text + "' from " + name + ": " + out(name));
    }

    private String out(String name) throws IOException {
        Path file = dir.resolve(name + ".txt");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String acmeKey(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream().filter(k -> properties.getProperty(k).equals("acme"))
                .findFirst().orElseThrow();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
