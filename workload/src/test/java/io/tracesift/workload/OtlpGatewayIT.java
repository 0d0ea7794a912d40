package io.tracesift.workload;

import io.tracesift.tenantrouting.Partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.serdes.TraceIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtlpGatewayIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static final int PARTITIONS = 6;
    private static final int MAX_REQUEST = 256 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OtlpGateway gateway;
    private static WorkflowGenerator generator;

    @BeforeAll
    static void start() throws Exception {
        GatewaySettings settings = GatewaySettings.defaults(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))
                .withHost("127.0.0.1").withPort(0).withTopic("otlp_spans", PARTITIONS)
                .withLimits(MAX_REQUEST, 64L << 20, 1_000_000);
        gateway = OtlpGateway.start(settings,
                (tenant, service) -> !("umbrella".equals(tenant) && "search-service".equals(service)));
        generator = new WorkflowGenerator(GeneratorSettings.defaults().withHugeTraces(0, 1).withSlowRate(0)
                .withLongRunning(0, Duration.ofMinutes(30), 1).withTraceCount(1000), 1_767_225_600_000_000_000L);
        warmUp();
    }

    /**
     * Exports one workflow until it is acknowledged, as an OTLP exporter retries a 503. The first write of a fresh
     * idempotent producer to a fresh broker can stall past the ack timeout on a loaded machine (seen once in CI);
     * the tests below then each check a single export.
     */
    private static void warmUp() throws Exception {
        byte[] body = workflows(1).toByteArray();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int status = post("application/x-protobuf", null, "warm-up", body).statusCode();
        while (status == 503 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            status = post("application/x-protobuf", null, "warm-up", body).statusCode();
        }
        assertThat(status).as("warm-up export").isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void protobufRequestLandsAsOneRecordPerTraceKeyedByTraceIdWithTheTenantHeader() throws Exception {
        ExportTraceServiceRequest request = workflows(3);
        HttpResponse<byte[]> response = post("application/x-protobuf", null, "acme", request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.hasPartialSuccess()).isFalse();
        assertLanded(request, "acme");
    }

    @Test
    void jsonRequestLandsLikeProtobuf() throws Exception {
        ExportTraceServiceRequest request = workflows(2);
        HttpResponse<byte[]> response = post("application/json; charset=utf-8", null, "globex",
                OtlpEncoding.OTLP_JSON.encode(request));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertLanded(request, "globex");
    }

    @Test
    void gzipRequestLandsLikeProtobuf() throws Exception {
        ExportTraceServiceRequest request = workflows(2);
        HttpResponse<byte[]> response = post("application/x-protobuf", "gzip", "initech", gzip(request.toByteArray()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertLanded(request, "initech");
    }

    @Test
    void unroutableSpansAreReportedAsPartialSuccessAndTheRestIsWritten() throws Exception {
        ExportTraceServiceRequest valid = workflows(4);
        Span zeroTraceId = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).setName("bad").build();
        ExportTraceServiceRequest request = valid.toBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(zeroTraceId))).build();
        long searchSpans = request.getResourceSpansList().stream()
                .filter(rs -> rs.getResource().getAttributesList().stream().anyMatch(kv ->
                        kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("search-service")))
                .mapToLong(rs -> rs.getScopeSpansList().stream().mapToLong(ScopeSpans::getSpansCount).sum()).sum();

        HttpResponse<byte[]> response = post("application/x-protobuf", null, "umbrella", request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1 + searchSpans);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("invalid-trace-id: 1");
        if (searchSpans > 0) {
            assertThat(answer.getPartialSuccess().getErrorMessage()).contains("service-disabled: " + searchSpans);
        }
        List<Span> written = landed(traceIds(valid), "umbrella");
        assertThat(written).hasSize((int) (spanCount(valid) - searchSpans));
        assertThat(gateway.counters().rejectedSpans()).containsEntry("invalid-trace-id", 1L);
    }

    @Test
    void badPayloadsGet400WithAStatusMessage() throws Exception {
        HttpResponse<byte[]> garbage = post("application/x-protobuf", null, "acme",
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        HttpResponse<byte[]> badJson = post("application/json", null, "acme", "{\"resourceSpans\": [".getBytes());
        HttpResponse<byte[]> badGzip = post("application/x-protobuf", "gzip", "acme", new byte[] {1, 2, 3});
        HttpResponse<byte[]> badTenant = post("application/x-protobuf", null, "no/such tenant",
                workflows(1).toByteArray());

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(new String(garbage.body(), StandardCharsets.UTF_8)).contains("undecodable-protobuf");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(new String(badJson.body(), StandardCharsets.UTF_8)).startsWith("{\"code\":3,\"message\":\"Not an OTLP");
        assertThat(badGzip.statusCode()).isEqualTo(400);
        assertThat(badTenant.statusCode()).isEqualTo(400);
        assertThat(gateway.counters().rejectedRequests()).containsKey("bad-payload").containsKey("invalid-tenant");
    }

    @Test
    void unknownContentTypeGets415() throws Exception {
        HttpResponse<byte[]> response = post("text/plain", null, "acme", "hello".getBytes());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("application/x-protobuf");
        assertThat(gateway.counters().rejectedRequests()).containsKey("unsupported-media-type");
    }

    @Test
    void tooLargeRequestsGet413BeforeAndAfterDecompression() throws Exception {
        HttpResponse<byte[]> plain = post("application/x-protobuf", null, "acme", new byte[MAX_REQUEST + 1]);
        HttpResponse<byte[]> bomb = post("application/x-protobuf", "gzip", "acme", gzip(new byte[4 * MAX_REQUEST]));

        assertThat(plain.statusCode()).isEqualTo(413);
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(gateway.counters().rejectedRequests()).containsEntry("too-large", 2L);
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        HttpResponse<byte[]> wrongPath = HTTP.send(HttpRequest.newBuilder(gateway.endpoint().resolve("/v1/logs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(gateway.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(wrongPath.statusCode()).isEqualTo(404);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    private static void assertLanded(ExportTraceServiceRequest request, String tenant) {
        List<Span> written = landed(traceIds(request), tenant);
        assertThat(written).hasSize((int) spanCount(request));
    }

    /**
     * Reads the topic until every expected trace id showed up, checking each record: key = trace id hex, partition
     * = the Sarama FNV-1a choice, tenant header, and every span of the value belonging to the key's trace.
     */
    private static List<Span> landed(Set<String> traceIds, String tenant) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        List<Span> spans = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("otlp_spans"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!seen.containsAll(traceIds) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = new String(record.key(), StandardCharsets.US_ASCII);
                    if (!traceIds.contains(key)) {
                        continue;
                    }
                    seen.add(key);
                    assertThat(record.partition()).isEqualTo(Partitioning.SARAMA_FNV1A.partition(record.key(), PARTITIONS));
                    Header header = record.headers().lastHeader("X-Scope-OrgID");
                    assertThat(header).isNotNull();
                    assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo(tenant);
                    ExportTraceServiceRequest value = parse(record.value());
                    for (ResourceSpans rs : value.getResourceSpansList()) {
                        assertThat(rs.getResource().getAttributesCount()).isPositive();
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span span : ss.getSpansList()) {
                                assertThat(TraceIds.toHex(span.getTraceId())).isEqualTo(key);
                                spans.add(span);
                            }
                        }
                    }
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(traceIds);
        return spans;
    }

    private static ExportTraceServiceRequest parse(byte[] value) {
        try {
            return ExportTraceServiceRequest.parseFrom(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The next {@code n} complete workflows of the shared generator, merged into one export request. */
    private static synchronized ExportTraceServiceRequest workflows(int n) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int done = 0;
        while (done < n) {
            TraceBatch batch = generator.next();
            request.addAllResourceSpans(batch.request().getResourceSpansList());
            if (batch.lastOfTrace()) {
                done++;
            }
        }
        return request.build();
    }

    private static Set<String> traceIds(ExportTraceServiceRequest request) {
        Set<String> ids = new LinkedHashSet<>();
        request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                .forEach(span -> ids.add(TraceIds.toHex(span.getTraceId())))));
        return ids;
    }

    private static long spanCount(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .mapToLong(ScopeSpans::getSpansCount).sum();
    }

    private static HttpResponse<byte[]> post(String contentType, String encoding, String tenant, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.endpoint())
                .header("Content-Type", contentType)
                .header("X-Scope-OrgID", tenant)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }
}
