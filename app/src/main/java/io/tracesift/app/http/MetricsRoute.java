package io.tracesift.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** {@code /metrics}: the registry in the Prometheus or OpenMetrics text format, as the scraper asks. */
public final class MetricsRoute {

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private MetricsRoute() {
    }

    public static HttpRoute of(PrometheusRegistry registry) {
        return HttpRoute.exact("/metrics", exchange -> respond(exchange, registry.scrape()));
    }

    /** Writes the snapshots in the format the request's Accept header asks for (OpenMetrics carries exemplars). */
    public static void respond(HttpExchange exchange, MetricSnapshots snapshots) throws IOException {
        ExpositionFormatWriter writer = FORMATS.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, snapshots);
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(200, head ? -1 : body.size());
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                body.writeTo(out);
            }
        }
    }
}
