package io.tracesift.app.metrics;

import io.tracesift.aggregation.SeriesCollector;
import io.tracesift.aggregation.SeriesSource;
import io.tracesift.app.http.HttpEndpoint;
import io.tracesift.app.http.HttpRoute;
import io.tracesift.app.http.MetricsRoute;
import io.tracesift.query.ApiKeys;
import io.tracesift.tenantrouting.TenantId;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code /metrics/tenant/<id>}: only that tenant's series, for the tenant's own Prometheus. Requires an API key
 * ({@code Authorization: Bearer <key>} or {@code X-API-Key}) from {@code query.api-keys}: 401 without a known
 * key, 403 with another tenant's key; operator keys ("*") may read every tenant.
 */
public final class TenantMetricsRoute {
    public static final String PATH = "/metrics/tenant/";

    private TenantMetricsRoute() {
    }

    public static HttpRoute of(SeriesSource source, ApiKeys keys) {
        return HttpRoute.prefix(PATH, exchange -> serve(exchange, source, keys));
    }

    private static void serve(HttpExchange exchange, SeriesSource source, ApiKeys keys) throws IOException {
        Optional<ApiKeys.Grant> grant = keys.grant(credential(exchange));
        if (grant.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            HttpEndpoint.respond(exchange, 401, HttpEndpoint.TEXT,
                    "a tenant's metrics need its API key: send 'Authorization: Bearer <API key>' or 'X-API-Key: <API key>'\n");
            return;
        }
        String tenant = exchange.getRequestURI().getPath().substring(PATH.length());
        if (!TenantId.isValid(tenant)) {
            HttpEndpoint.respond(exchange, 404, HttpEndpoint.TEXT, "not a tenant id: " + TenantId.RULE + "\n");
            return;
        }
        if (!grant.get().operator() && !grant.get().tenant().orElseThrow().value().equals(tenant)) {
            HttpEndpoint.respond(exchange, 403, HttpEndpoint.TEXT, "this API key may not read that tenant's metrics\n");
            return;
        }
        MetricsRoute.respond(exchange, SeriesCollector.forTenant(source, tenant).collect());
    }

    private static String credential(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String apiKey = exchange.getRequestHeaders().getFirst("X-API-Key");
        return apiKey == null ? null : apiKey.trim();
    }
}
