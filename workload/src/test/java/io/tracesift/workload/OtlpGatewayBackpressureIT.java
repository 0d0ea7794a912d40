package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When Kafka stops acknowledging, the gateway tells clients to retry instead of answering 200. */
class OtlpGatewayBackpressureIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void answers503WhenKafkaDoesNotAcknowledgeAnd429WhileUnacknowledgedBytesFillTheBudget() throws Exception {
        GatewaySettings settings = GatewaySettings.defaults(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))
                .withHost("127.0.0.1").withPort(0).withTopic("otlp_spans", 3)
                .withLimits(1 << 20, 4096, 4096).withAckTimeout(Duration.ofSeconds(3));
        WorkflowGenerator generator = new WorkflowGenerator(GeneratorSettings.defaults().withHugeTraces(0, 1),
                1_767_225_600_000_000_000L);
        try (OtlpGateway gateway = OtlpGateway.start(settings)) {
            assertThat(post(gateway, generator.next().request()).statusCode()).isEqualTo(200);

            KAFKA.broker().close();
            long start = System.nanoTime();
            HttpResponse<String> unavailable = post(gateway, generator.next().request());
            HttpResponse<String> overloaded = post(gateway, generator.next().request());

            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(overloaded.statusCode()).isEqualTo(429);
            assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("1");
            GatewayCounters.Snapshot counters = gateway.counters();
            assertThat(counters.rejectedRequests()).containsEntry("kafka-unavailable", 1L)
                    .containsEntry("overloaded", 1L);
        }
    }

    private static HttpResponse<String> post(OtlpGateway gateway, ExportTraceServiceRequest request)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.endpoint())
                .header("Content-Type", "application/x-protobuf")
                .header("X-Scope-OrgID", "acme")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
