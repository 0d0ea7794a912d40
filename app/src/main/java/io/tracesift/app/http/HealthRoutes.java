package io.tracesift.app.http;

import java.util.List;

/** {@code /healthz}: the process answers; {@code /readyz}: the pipeline is running. */
public final class HealthRoutes {

    private HealthRoutes() {
    }

    public static List<HttpRoute> of(Readiness readiness) {
        return List.of(
                HttpRoute.exact("/healthz", exchange -> HttpEndpoint.respond(exchange, 200, HttpEndpoint.TEXT, "ok\n")),
                HttpRoute.exact("/readyz", exchange -> {
                    boolean ready = readiness.ready();
                    HttpEndpoint.respond(exchange, ready ? 200 : 503, HttpEndpoint.TEXT,
                            (ready ? "ready: " : "not ready: ") + readiness.state() + "\n");
                }));
    }
}
