package io.tracesift.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The app's single HTTP port, serving whatever routes it is given. */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final int THREADS = 4;
    public static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on all interfaces.
     *
     * @param port 0 picks a free port ({@link #port()} tells which)
     * @throws IllegalStateException naming the port when it is already in use
     */
    public static HttpEndpoint start(int port, List<HttpRoute> routes) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("HTTP port " + port + " is already in use; choose another with --http-port", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open HTTP port " + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        // A few threads, so that a slow scrape or query never delays /healthz.
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        HttpEndpoint endpoint = new HttpEndpoint(server, executor);
        endpoint.add(routes);
        LOG.info("HTTP server listening on port {}", endpoint.port());
        return endpoint;
    }

    /**
     * Serves more routes, e.g. ones that need {@link #port()} to exist first (the query API's peers reach
     * this port, and Kafka Streams is told so before it is built). Until then their paths answer 404.
     */
    public void add(List<HttpRoute> routes) {
        for (HttpRoute route : routes) {
            server.createContext(route.path(), exchange -> serve(route, exchange));
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Writes a complete plain-text response and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    private static void serve(HttpRoute route, HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            // HttpServer matches contexts by prefix; exact routes must not answer for "/healthzfoo".
            if (!route.prefix() && !path.equals(route.path())) {
                respond(exchange, 404, TEXT, "not found\n");
            } else {
                route.handler().handle(exchange);
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            if (exchange.getResponseCode() == -1) {
                respond(exchange, 500, TEXT, "internal error\n");
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
