package io.tracesift.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A tiny HTTP service for {@link OtelAgentIT}, run in its own JVM with the OpenTelemetry Java agent attached:
 * {@code SampleService PORT [DOWNSTREAM_URL]}. With a downstream it answers {@code GET /checkout} by calling the
 * downstream's {@code /price} (java.net.http, instrumented by the agent) and passes its status on as 502;
 * without one it answers {@code /price} with 500 "price service unavailable", so the trace carries an error.
 */
public final class SampleService {

    private SampleService() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        URI downstream = args.length > 1 ? URI.create(args[1]) : null;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/ready", exchange -> respond(exchange, 200, "ready"));
        if (downstream != null) {
            server.createContext("/checkout", exchange -> {
                try {
                    HttpResponse<String> price = client.send(HttpRequest.newBuilder(downstream.resolve("/price"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    respond(exchange, price.statusCode() == 200 ? 200 : 502, "price: " + price.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    respond(exchange, 503, "interrupted");
                }
            });
        } else {
            server.createContext("/price", exchange -> respond(exchange, 500, "price service unavailable"));
        }
        server.start();
        System.out.println("listening on " + port);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
