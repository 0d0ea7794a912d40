package io.tracesift.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The query HTTP API: Jaeger's v1 JSON endpoints, one trace as OTLP JSON (v3), the instances' internal
 * endpoint and the trace view page. Every data endpoint first resolves the tenant from the credential
 * (401 before anything else is looked at), then validates parameters (400 saying what is valid).
 */
public final class QueryHttp {
    /** One path to register on the HTTP server; {@code prefix} routes also serve every path below them. */
    public record Route(String path, boolean prefix, HttpHandler handler) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(QueryHttp.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String JSON = "application/json; charset=utf-8";

    private final TraceQueries queries;
    private final InternalApi internal;
    private final TenantScope scope;
    private final QuerySettings settings;
    private final Clock clock;

    QueryHttp(TraceQueries queries, InternalApi internal, QuerySettings settings, Clock clock) {
        this.queries = queries;
        this.internal = internal;
        this.scope = new TenantScope(settings.apiKeys());
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The routes for a running pipeline. {@code streams} must have been built with
     * {@link RecentTraces#addTo} and configured with {@code application.server = advertisedHost:httpPort}, so that
     * other instances reach this one's HTTP port.
     *
     * @param advertisedHost the host part of {@code application.server} (how peers reach this instance)
     * @param open           in-flight traces of this instance ({@link OpenTraceSource#NONE} if not available)
     */
    public static List<Route> routes(KafkaStreams streams, String advertisedHost, int httpPort, QuerySettings settings,
                                     OpenTraceSource open) {
        KafkaStreamsCluster cluster = new KafkaStreamsCluster(streams, new Cluster.Host(advertisedHost, httpPort));
        InternalApi internal = new InternalApi(new LocalTraceStore(cluster), open);
        ClusterTraceQueries queries = new ClusterTraceQueries(cluster, internal, new PeerClient(), settings.timeout());
        return new QueryHttp(queries, internal, settings, Clock.systemUTC()).routes();
    }

    List<Route> routes() {
        return List.of(
                new Route("/api/", true, exchange -> serve(exchange, this::api)),
                new Route(PeerClient.PATH, true, exchange -> serve(exchange, this::internal)),
                new Route("/", true, new TraceViewPage()));
    }

    /** A response: status and JSON body, written to the client as it is rendered. */
    record Reply(int status, JaegerJson.Body body) {
        Reply(int status, JsonNode tree) {
            this(status, JaegerJson.Body.of(tree));
        }
    }

    @FunctionalInterface
    private interface Endpoint {
        Reply answer(TenantScope.Scoped scoped, String path, String rawQuery);
    }

    private void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try {
            Reply reply;
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = new Reply(405, errorEnvelope(405, "only GET is supported"));
            } else {
                TenantScope.Result who = scope.resolve(name -> exchange.getRequestHeaders().getFirst(name));
                if (who instanceof TenantScope.Refused refused) {
                    if (refused.status() == 401) {
                        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tracesift\"");
                    }
                    reply = new Reply(refused.status(), errorEnvelope(refused.status(), refused.message()));
                } else {
                    TenantScope.Scoped scoped = (TenantScope.Scoped) who;
                    try {
                        reply = endpoint.answer(scoped, exchange.getRequestURI().getRawPath(),
                                exchange.getRequestURI().getRawQuery());
                    } catch (BadRequest e) {
                        reply = new Reply(400, errorEnvelope(400, e.getMessage()));
                    } catch (RuntimeException e) {
                        LOG.warn("query {} failed", exchange.getRequestURI().getRawPath(), e);
                        reply = new Reply(500, errorEnvelope(500, "internal error: " + e.getMessage()));
                    }
                }
            }
            render(exchange, reply);
        } finally {
            exchange.close();
        }
    }

    static void write(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Renders the body with a streaming generator (no tree) into one byte array sent with its length: the JDK
     * server cuts a chunked body into 4 KB chunks, each its own TCP send with TCP_NODELAY, which cost more for a
     * 3 MB answer than holding its bytes.
     */
    private static void render(HttpExchange exchange, Reply reply) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (JsonGenerator json = JaegerJson.MAPPER.getFactory().createGenerator(bytes)) {
            reply.body().writeTo(json);
        }
        write(exchange, reply.status(), JSON, bytes.toByteArray());
    }

    Reply api(TenantScope.Scoped who, String rawPath, String rawQuery) {
        List<String> segments = segments(rawPath);
        // segments[0] == "api"
        if (segments.size() == 2 && segments.get(1).equals("services")) {
            RequestParameters.parse(rawQuery, JaegerParameters.NONE);
            TraceQueries.Answer<Set<String>> a = queries.services(who);
            ArrayNode data = NODES.arrayNode();
            a.value().forEach(data::add);
            return ok(data, a.errors());
        }
        if (segments.size() == 4 && segments.get(1).equals("services") && segments.get(3).equals("operations")) {
            RequestParameters.parse(rawQuery, JaegerParameters.NONE);
            TraceQueries.Answer<List<LocalTraceStore.Operation>> a = queries.operations(who, segments.get(2));
            ArrayNode data = NODES.arrayNode();
            a.value().stream().map(LocalTraceStore.Operation::name).distinct().forEach(data::add);
            return ok(data, a.errors());
        }
        if (segments.size() == 2 && segments.get(1).equals("operations")) {
            RequestParameters p = RequestParameters.parse(rawQuery, JaegerParameters.OPERATIONS);
            String service = p.single("service");
            if (service == null) {
                throw new BadRequest("parameter 'service' is required");
            }
            String kind = JaegerParameters.spanKind(p.single("spanKind"));
            TraceQueries.Answer<List<LocalTraceStore.Operation>> a = queries.operations(who, service);
            ArrayNode data = NODES.arrayNode();
            for (LocalTraceStore.Operation o : a.value()) {
                String k = JaegerJson.spanKind(o.spanKind());
                if (kind == null || kind.equals(k)) {
                    data.addObject().put("name", o.name()).put("spanKind", k == null ? "" : k);
                }
            }
            return ok(data, a.errors());
        }
        if (segments.size() == 2 && segments.get(1).equals("traces")) {
            return search(who, RequestParameters.parse(rawQuery, JaegerParameters.SEARCH));
        }
        if (segments.size() == 3 && segments.get(1).equals("traces")) {
            RequestParameters.parse(rawQuery, JaegerParameters.NONE);
            return byId(who, JaegerParameters.traceId(segments.get(2)), false);
        }
        if (segments.size() == 4 && segments.get(1).equals("v3") && segments.get(2).equals("traces")) {
            RequestParameters.parse(rawQuery, JaegerParameters.NONE);
            return byId(who, JaegerParameters.traceId(segments.get(3)), true);
        }
        if (segments.size() == 2 && segments.get(1).equals("dependencies")) {
            RequestParameters p = RequestParameters.parse(rawQuery, JaegerParameters.DEPENDENCIES);
            long endMs = p.single("endTs") == null ? clock.millis() : JaegerParameters.millis(p.single("endTs"), "endTs");
            long lookback = JaegerParameters.dependencyLookback(p.single("lookback"));
            TraceQueries.Answer<List<LocalTraceStore.Dependency>> a = queries.dependencies(who, endMs, lookback);
            ArrayNode data = NODES.arrayNode();
            a.value().forEach(d -> data.addObject().put("parent", d.parent()).put("child", d.child())
                    .put("callCount", d.callCount()));
            return ok(data, a.errors());
        }
        return new Reply(404, errorEnvelope(404, "no such endpoint; valid: /api/services, /api/services/{service}"
                + "/operations, /api/operations, /api/traces, /api/traces/{traceID}, /api/dependencies, "
                + "/api/v3/traces/{traceID}"));
    }

    private Reply search(TenantScope.Scoped who, RequestParameters p) {
        List<String> ids = p.all("traceID");
        if (!ids.isEmpty()) {
            List<StoredTrace> found = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String id : ids) {
                TraceQueries.Answer<Optional<StoredTrace>> a = queries.trace(who, JaegerParameters.traceId(id));
                a.value().ifPresent(found::add);
                errors.addAll(a.errors());
            }
            return new Reply(200, JaegerJson.traces(found, errors(errors)));
        }
        TraceSearch search = JaegerParameters.search(p, settings.maxLimit(), clock.millis() * 1000);
        TraceQueries.Answer<List<StoredTrace>> a = queries.search(who, search);
        return new Reply(200, JaegerJson.traces(a.value(), errors(a.errors())));
    }

    private Reply byId(TenantScope.Scoped who, String traceId, boolean otlp) {
        TraceQueries.Answer<Optional<StoredTrace>> a = queries.trace(who, traceId);
        if (a.value().isPresent()) {
            if (otlp) {
                return new Reply(200, JaegerJson.otlp(a.value().get().spans()));
            }
            return new Reply(200, JaegerJson.traces(List.of(a.value().get()), List.of()));
        }
        int status = a.errors().isEmpty() ? 404 : 503;
        String msg = a.errors().isEmpty() ? "trace not found" : "trace not available: " + String.join("; ", a.errors());
        if (otlp) {
            ObjectNode error = NODES.objectNode();
            error.putObject("error").put("httpCode", status).put("message", msg);
            return new Reply(status, error);
        }
        List<ObjectNode> errors = List.of(JaegerJson.error(status, msg, traceId));
        return new Reply(status, JaegerJson.envelope(JsonGenerator::writeNull, 0, errors));
    }

    Reply internal(TenantScope.Scoped who, String rawPath, String rawQuery) {
        String op = rawPath.substring(PeerClient.PATH.length());
        return new Reply(200, internal.answer(who.tenant(), op, RequestParameters.parse(rawQuery, InternalApi.PARAMETERS)));
    }

    private static Reply ok(ArrayNode data, List<String> errors) {
        return new Reply(200, JaegerJson.envelope(JaegerJson.Body.of(data), data.size(), errors(errors)));
    }

    private static List<ObjectNode> errors(List<String> errors) {
        return errors.stream().map(e -> JaegerJson.error(e.startsWith("stale:") ? 200 : 503, e, null)).toList();
    }

    private static JaegerJson.Body errorEnvelope(int status, String message) {
        return JaegerJson.envelope(JsonGenerator::writeNull, 0, List.of(JaegerJson.error(status, message, null)));
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
