package io.tracesift.app.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/** {@code /metrics}: the registry in the Prometheus or OpenMetrics text format, as the scraper asks. */
public final class MetricsRoute {

    private MetricsRoute() {
    }

    public static HttpRoute of(PrometheusRegistry registry) {
        ExpositionFormats formats = ExpositionFormats.init();
        return HttpRoute.exact("/metrics", exchange -> {
            ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            writer.write(body, registry.scrape());
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                if (!head) {
                    body.writeTo(out);
                }
            }
        });
    }
}
