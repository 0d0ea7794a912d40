package io.tracesift.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated batches to an OTLP/HTTP endpoint (tracesift's gateway or a Collector) as an SDK exporter would:
 * {@code POST} protobuf, gzip, tenant header; on 429 or 503 it waits for {@code Retry-After} and retries, so no
 * batch is dropped while the receiver is only busy. A few requests run at once, because each waits for the
 * receiver's durable acknowledgement; {@link #send} blocks while all of them are busy.
 */
public final class GatewayTraceSink implements TraceSink {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTraceSink.class);
    private static final int MAX_ATTEMPTS = 30;
    private static final int CONCURRENT_REQUESTS = 4;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService senders = Executors.newFixedThreadPool(CONCURRENT_REQUESTS, runnable -> {
        Thread thread = new Thread(runnable, "gateway-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore slots = new Semaphore(CONCURRENT_REQUESTS);
    private final URI endpoint;
    private final String tenantHeader;
    private final AtomicLong failed = new AtomicLong();

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
        slots.acquire();
        try {
            senders.execute(() -> {
                try {
                    deliver(request);
                } catch (InterruptedException e) {
                    fail("interrupted");
                    Thread.currentThread().interrupt();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void deliver(HttpRequest request) throws InterruptedException {
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
        if (failed.getAndIncrement() == 0) {
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

    /** Waits until every request handed over has been answered (or given up). */
    @Override
    public void flush() throws InterruptedException {
        slots.acquire(CONCURRENT_REQUESTS);
        slots.release(CONCURRENT_REQUESTS);
    }

    @Override
    public long failedBatches() {
        return failed.get();
    }

    /** Stops sending; requests still running get up to 5 s. */
    @Override
    public void close() {
        senders.shutdown();
        try {
            if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
