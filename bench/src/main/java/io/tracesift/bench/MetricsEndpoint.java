package io.tracesift.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tracesift.aggregation.SeriesCollector;
import io.tracesift.aggregation.SeriesSource;
import io.tracesift.topology.LocalSeriesSource;
import org.apache.kafka.streams.KafkaStreams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} and {@code /metrics/tenant/<id>} of one running pipeline, read the way {@code tracesift run}
 * reads them: {@link LocalSeriesSource} over the metric stores of the active tasks, {@link SeriesCollector#allTenants}
 * or {@link SeriesCollector#forTenant}, and the Prometheus client's exposition writers chosen by the request's Accept
 * header, on the JDK's HTTP server. (The app's endpoint classes live in the app module, which depends on this one.
 * Left out: the JVM, pipeline-health and Streams-client collectors of {@code /metrics}, which carry no span
 * contributions, and the tenant view's API key check.)
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    private static final String TENANT_PATH = "/metrics/tenant/";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves on a free port of 127.0.0.1. */
    static MetricsEndpoint start(KafkaStreams streams) {
        SeriesSource series = new LocalSeriesSource(streams);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(SeriesCollector.allTenants(series));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the benchmark's metrics port", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> serve(exchange, registry.scrape()));
        server.createContext(TENANT_PATH, exchange -> serve(exchange, SeriesCollector.forTenant(series,
                exchange.getRequestURI().getPath().substring(TENANT_PATH.length())).collect()));
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void serve(HttpExchange exchange, MetricSnapshots snapshots) throws IOException {
        try (exchange) {
            ExpositionFormatWriter writer = FORMATS.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            writer.write(body, snapshots);
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    /** The operator's view: every tenant. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    /** One tenant's view. */
    URI tenantUri(String tenant) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + TENANT_PATH + tenant);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
