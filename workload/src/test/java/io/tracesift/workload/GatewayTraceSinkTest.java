package io.tracesift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a scripted OTLP endpoint: what the sink sends, and how it treats retryable and final refusals. */
class GatewayTraceSinkTest {
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private WorkflowGenerator generator;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/traces", exchange -> {
            try (exchange; InputStream body = new GZIPInputStream(exchange.getRequestBody())) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                seen.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                        + exchange.getRequestHeaders().getFirst("X-Scope-OrgID") + " "
                        + request.getResourceSpansCount());
                Integer status = script.poll();
                int code = status == null ? 200 : status;
                if (code == 503) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
                exchange.sendResponseHeaders(code, -1);
            }
        });
        server.start();
        generator = new WorkflowGenerator(GeneratorSettings.defaults().withTenants(List.of("acme")), 0);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void retriesAfterRetryAfterOn503AndSendsGzippedProtobufWithTheTenant() throws Exception {
        script.add(503);
        long started = System.nanoTime();
        try (GatewayTraceSink sink = new GatewayTraceSink(endpoint(), "X-Scope-OrgID")) {
            sink.send(generator.next());
            sink.flush();
            assertThat(sink.failedBatches()).isZero();
        }
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(seen).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("application/x-protobuf acme "));
    }

    @Test
    void countsAFinalRefusalAsFailedWithoutRetrying() throws Exception {
        script.add(400);
        try (GatewayTraceSink sink = new GatewayTraceSink(endpoint(), "X-Scope-OrgID")) {
            sink.send(generator.next());
            sink.send(generator.next());
            sink.flush();
            assertThat(sink.failedBatches()).isEqualTo(1);
        }
        assertThat(seen).hasSize(2);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }
}
