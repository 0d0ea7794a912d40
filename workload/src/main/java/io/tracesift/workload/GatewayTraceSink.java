package io.tracesift.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated batches to an OTLP/HTTP endpoint (tracesift's gateway or a Collector) as an SDK exporter would:
 * {@code POST} protobuf, gzip, tenant header; on 429 or 503 it waits for {@code Retry-After} and retries, so no
 * batch is dropped while the receiver is only busy.
 */
public final class GatewayTraceSink implements TraceSink {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTraceSink.class);
    private static final int MAX_ATTEMPTS = 30;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String tenantHeader;
    private long failed;

    /** @param endpoint e.g. {@code http://127.0.0.1:4318/v1/traces} */
    public GatewayTraceSink(URI endpoint, String tenantHeader) {
        this.endpoint = endpoint;
        this.tenantHeader = tenantHeader;
    }

    @Override
    public void send(TraceBatch batch) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .header(tenantHeader, batch.tenant())
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(batch.request().toByteArray())))
                .build();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                LOG.warn("Cannot reach {} (attempt {}): {}", endpoint, attempt, e.toString());
                Thread.sleep(1000);
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                return;
            }
            if (status != 429 && status != 503) {
                fail("answered " + status + ": " + response.body());
                return;
            }
            long waitSeconds = response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,4}"))
                    .map(Long::parseLong).orElse(1L);
            Thread.sleep(Math.max(1, waitSeconds) * 1000);
        }
        fail("still busy after " + MAX_ATTEMPTS + " attempts");
    }

    private void fail(String why) {
        if (failed++ == 0) {
            LOG.warn("{} refused a generated batch (further failures are only counted): {}", endpoint, why);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void flush() {
        // send() returns only after the endpoint answered
    }

    @Override
    public long failedBatches() {
        return failed;
    }

    @Override
    public void close() {
        // the JDK HttpClient (Java 17) has no close(); its threads are daemons
    }
}
