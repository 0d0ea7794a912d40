package io.tracesift.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The trace view page: static HTML, CSS and JavaScript from this jar (no external resources). The page holds
 * no data; it asks for the API key and calls the API with it.
 */
final class TraceViewPage implements HttpHandler {
    private static final String BASE = "/io/tracesift/query/ui/";
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/ui/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/ui/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String[] file = FILES.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            if (file == null) {
                QueryHttp.write(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                QueryHttp.write(exchange, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = TraceViewPage.class.getResourceAsStream(BASE + file[0])) {
                if (in == null) {
                    throw new IllegalStateException("missing page resource " + file[0]);
                }
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            QueryHttp.write(exchange, 200, file[1], body);
        } finally {
            exchange.close();
        }
    }
}
