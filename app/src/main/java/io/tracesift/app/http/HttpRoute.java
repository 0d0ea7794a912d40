package io.tracesift.app.http;

import com.sun.net.httpserver.HttpHandler;

/**
 * One path served by {@link HttpEndpoint}. Other features (metrics, trace queries, the trace view)
 * contribute their own routes.
 *
 * @param path    the path, starting with "/"
 * @param prefix  true to also serve every path below it (e.g. "/api/traces/" + id)
 * @param handler answers the request and closes the exchange
 */
public record HttpRoute(String path, boolean prefix, HttpHandler handler) {

    public HttpRoute {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
    }

    /** A route for exactly this path. */
    public static HttpRoute exact(String path, HttpHandler handler) {
        return new HttpRoute(path, false, handler);
    }

    /** A route for this path and everything below it. */
    public static HttpRoute prefix(String path, HttpHandler handler) {
        return new HttpRoute(path, true, handler);
    }
}
