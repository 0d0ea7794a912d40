package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When Kafka stops acknowledging, the gateway tells clients to retry instead of answering 200. */
class OtlpGatewayBackpressureIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void answers503WhenKafkaDoesNotAcknowledgeAnd429WhileUnacknowledgedBytesFillTheBudget() throws Exception {
        GatewaySettings settings = GatewaySettings.defaults(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))
                .withHost("127.0.0.1").withPort(0).withTopic("otlp_spans", 3)
                .withLimits(1 << 20, 4096, 4096).withAckTimeout(ACK_TIMEOUT);
        WorkflowGenerator generator = new WorkflowGenerator(GeneratorSettings.defaults().withHugeTraces(0, 1),
                1_767_225_600_000_000_000L);
        try (OtlpGateway gateway = OtlpGateway.start(settings)) {
            acknowledged(gateway, generator.next().request());
            Map<String, Long> before = gateway.counters().rejectedRequests();

            KAFKA.broker().close();
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> unavailable = post(gateway, generator.next().request());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gateway.counters().inFlightBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(gateway.counters().inFlightBytes()).as("bytes waiting for Kafka").isPositive();
            HttpResponse<String> overloaded = post(gateway, generator.next().request()).join();

            assertThat(overloaded.statusCode()).isEqualTo(429);
            assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(unavailable.join().statusCode()).isEqualTo(503);
            assertThat(unavailable.join().headers().firstValue("Retry-After")).hasValue("1");
            // the answer waited for Kafka as long as allowed, it did not give up (or acknowledge) early
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ACK_TIMEOUT);
            GatewayCounters.Snapshot counters = gateway.counters();
            assertThat(counters.rejectedRequests()).containsEntry("kafka-unavailable",
                    before.getOrDefault("kafka-unavailable", 0L) + 1).containsEntry("overloaded",
                    before.getOrDefault("overloaded", 0L) + 1);
        }
    }

    /**
     * Exports until Kafka acknowledged, retrying 503 and 429 as an OTLP exporter does (a fresh broker's first write
     * can outlast the short ack timeout on a loaded machine), then waits until nothing is in flight.
     */
    private static void acknowledged(OtlpGateway gateway, ExportTraceServiceRequest request) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int status = post(gateway, request).join().statusCode();
        while ((status == 503 || status == 429) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            status = post(gateway, request).join().statusCode();
        }
        assertThat(status).as("first export").isEqualTo(200);
        while (gateway.counters().inFlightBytes() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gateway.counters().inFlightBytes()).isZero();
    }

    private static CompletableFuture<HttpResponse<String>> post(OtlpGateway gateway,
                                                                 ExportTraceServiceRequest request) {
        return HTTP.sendAsync(HttpRequest.newBuilder(gateway.endpoint())
                .header("Content-Type", "application/x-protobuf")
                .header("X-Scope-OrgID", "acme")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
