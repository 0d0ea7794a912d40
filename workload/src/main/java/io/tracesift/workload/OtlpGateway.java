package io.tracesift.workload;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.tenantrouting.TenantId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf or JSON, optionally gzip) that writes each trace
 * of a request as its own Kafka record, keyed by the trace id in hex, with the tenant header copied onto the record.
 *
 * <p>A request is answered 200 only after Kafka acknowledged every record of it (acks=all, idempotent producer),
 * so an acknowledged span is never lost; when Kafka is slow or down the client is told to retry (429 when the
 * in-flight byte budget is used up, 503 when Kafka did not acknowledge in time), with {@code Retry-After}. Spans
 * that cannot be routed (bad ids, a disabled service, a single span over the record limit) are dropped and reported
 * as OTLP partial success. Error bodies are {@code google.rpc.Status} in the request's encoding, as OTLP asks.
 */
public final class OtlpGateway implements AutoCloseable {
    public static final String PATH = "/v1/traces";
    private static final Logger LOG = LoggerFactory.getLogger(OtlpGateway.class);
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    // google.rpc.Code values used in the Status body
    private static final int INVALID_ARGUMENT = 3;
    private static final int NOT_FOUND = 5;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int UNIMPLEMENTED = 12;
    private static final int UNAVAILABLE = 14;

    private final GatewaySettings settings;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final SpanProducer producer;
    private final TraceSplitter splitter;
    private final GatewayCounters counters = new GatewayCounters();
    // Requests being answered, and whether close() began: close waits for the former itself, because
    // HttpServer.stop(delay) on Java 17 always sleeps its whole delay even when nothing is running.
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    /** A request refused as a whole. */
    private static final class Refusal extends Exception {
        final int status;
        final int rpcCode;
        final String reason;

        Refusal(int status, int rpcCode, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.rpcCode = rpcCode;
            this.reason = reason;
        }
    }

    private OtlpGateway(GatewaySettings settings, BiPredicate<String, String> serviceEnabled) throws IOException {
        this.settings = settings;
        InputTopic.ensure(settings.kafka(), settings.topic(), settings.topicPartitions(), settings.topicReplication(),
                settings.ackTimeout());
        this.producer = new SpanProducer(settings.kafka(), settings.topic(), settings.tenantHeader(),
                settings.partitioning(), settings.maxRecordBytes(), settings.ackTimeout());
        this.splitter = new TraceSplitter(settings.maxRecordBytes(), serviceEnabled);
        this.handlers = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "otlp-gateway");
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
        } catch (IOException e) {
            producer.close();
            handlers.shutdownNow();
            throw e;
        }
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("OTLP/HTTP gateway listening on {}:{}{}, writing to {}", settings.host(), port(), PATH,
                settings.topic());
    }

    /** Starts a gateway that accepts every service. */
    public static OtlpGateway start(GatewaySettings settings) {
        return start(settings, (tenant, service) -> true);
    }

    /**
     * Starts the gateway: makes sure the topic exists with leaders, then listens.
     *
     * @param serviceEnabled whether spans of (tenant or null, service.name or null) are accepted; refused spans are
     *                       reported as partial success with reason {@code service-disabled}. Called per resource.
     * @throws UncheckedIOException  when the port cannot be bound
     * @throws IllegalStateException when Kafka or the topic is not reachable
     */
    public static OtlpGateway start(GatewaySettings settings, BiPredicate<String, String> serviceEnabled) {
        try {
            return new OtlpGateway(settings, serviceEnabled);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** The bound port (the chosen one when the settings said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Where clients send traces, e.g. {@code http://127.0.0.1:4318/v1/traces}. */
    public URI endpoint() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + host + ":" + port() + PATH);
    }

    public GatewayCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /**
     * Answers new requests 503 (retry elsewhere or later), lets running requests finish (up to 5 s), stops
     * listening, then flushes and closes the producer.
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        LOG.info("OTLP/HTTP gateway stopped");
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        counters.request();
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        String replyType = PROTOBUF.equals(contentType) ? PROTOBUF : JSON;
        try (exchange) {
            try {
                byte[] response = export(exchange, contentType);
                reply(exchange, 200, replyType, response, null);
            } catch (Refusal refusal) {
                counters.rejectedRequest(refusal.reason);
                discard(exchange.getRequestBody());
                Long retryAfter = refusal.status == 429 || refusal.status == 503
                        ? Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000) : null;
                if (refusal.status == 405) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                }
                reply(exchange, refusal.status, replyType, status(replyType, refusal.rpcCode, refusal.getMessage()),
                        retryAfter);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Failed to answer an OTLP request: {}", e.toString());
            throw e;
        }
    }

    private byte[] export(HttpExchange exchange, String contentType) throws Refusal, IOException {
        if (closing) {
            throw new Refusal(503, UNAVAILABLE, "shutting-down", "The gateway is shutting down; retry");
        }
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            throw new Refusal(404, NOT_FOUND, "not-found", "Not found; OTLP traces go to POST " + PATH);
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new Refusal(405, UNIMPLEMENTED, "method-not-allowed", "Method not allowed; use POST");
        }
        OtlpEncoding encoding = PROTOBUF.equals(contentType) ? OtlpEncoding.OTLP_PROTO
                : JSON.equals(contentType) ? OtlpEncoding.OTLP_JSON : null;
        if (encoding == null) {
            throw new Refusal(415, INVALID_ARGUMENT, "unsupported-media-type", "Unsupported Content-Type '"
                    + exchange.getRequestHeaders().getFirst("Content-Type") + "'; use " + PROTOBUF + " or " + JSON);
        }
        String contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
        if (contentEncoding != null && !gzip && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            throw new Refusal(415, INVALID_ARGUMENT, "unsupported-media-type", "Unsupported Content-Encoding '"
                    + contentEncoding + "'; use gzip or none");
        }
        String tenant = exchange.getRequestHeaders().getFirst(settings.tenantHeader());
        if (tenant == null && settings.requireTenant()) {
            throw new Refusal(400, INVALID_ARGUMENT, "invalid-tenant", "Missing the " + settings.tenantHeader()
                    + " header naming the tenant");
        }
        if (tenant != null && !TenantId.isValid(tenant)) {
            throw new Refusal(400, INVALID_ARGUMENT, "invalid-tenant", "Invalid tenant in "
                    + settings.tenantHeader() + ": use 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', starting"
                    + " with a letter or digit");
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > settings.maxRequestBytes()) {
            discard(exchange.getRequestBody());
            throw tooLarge(Long.parseLong(length) + " bytes");
        }
        byte[] body = readLimited(exchange.getRequestBody(), "body");
        if (gzip) {
            try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = readLimited(unzipped, "decompressed body");
            } catch (IOException e) {
                throw new Refusal(400, INVALID_ARGUMENT, "bad-payload", "Body is not valid gzip: " + e.getMessage());
            }
        }
        ExportTraceServiceRequest request;
        try {
            // An empty protobuf body is a valid, empty export.
            request = body.length == 0 && encoding == OtlpEncoding.OTLP_PROTO
                    ? ExportTraceServiceRequest.getDefaultInstance() : encoding.decode(body);
        } catch (OtlpDecodeException e) {
            throw new Refusal(400, INVALID_ARGUMENT, "bad-payload", "Not an OTLP " + encoding.configName()
                    + " ExportTraceServiceRequest (" + e.reason() + "): " + e.getMessage());
        }
        TraceSplitter.Split split = splitter.split(request, tenant);
        write(split, tenant);
        counters.accepted(split.acceptedSpans(), split.records().size());
        counters.rejectedSpans(split.rejectedByReason());
        return response(contentType, split);
    }

    /** Sends every record and waits for all acknowledgements; refuses with 429 or 503 when Kafka cannot keep up. */
    private void write(TraceSplitter.Split split, String tenant) throws Refusal {
        long bytes = split.records().stream().mapToLong(r -> r.value().length).sum();
        if (!counters.reserve(bytes, settings.maxInFlightBytes())) {
            throw new Refusal(429, RESOURCE_EXHAUSTED, "overloaded", "Too many spans waiting for Kafka; retry later");
        }
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try {
            for (TraceSplitter.TraceRecord record : split.records()) {
                long size = record.value().length;
                acks.add(producer.send(record.traceId(), record.value(), tenant,
                        (metadata, error) -> counters.release(size)));
                bytes -= size;
            }
        } catch (RuntimeException e) {
            counters.release(bytes); // the records never handed to the producer
            throw unavailable(e);
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw unavailable(e.getCause());
            } catch (TimeoutException e) {
                throw unavailable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(e);
            }
        }
    }

    private Refusal unavailable(Throwable cause) {
        LOG.warn("Kafka did not acknowledge an OTLP request; answering 503: {}", String.valueOf(cause));
        return new Refusal(503, UNAVAILABLE, "kafka-unavailable", "Kafka did not acknowledge the spans; retry later");
    }

    private Refusal tooLarge(String what) {
        return new Refusal(413, RESOURCE_EXHAUSTED, "too-large", "Request too large (" + what + "); the limit is "
                + settings.maxRequestBytes() + " bytes");
    }

    private byte[] readLimited(InputStream in, String what) throws IOException, Refusal {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16_384];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > settings.maxRequestBytes()) {
                discard(in);
                throw tooLarge(what + " over the limit");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Reads what is left of a refused body (up to a bound) so the client gets the answer: closing a connection with
     * unread bytes resets it, and the client would see a connection error instead of 413.
     */
    private void discard(InputStream in) throws IOException {
        long budget = 4L * settings.maxRequestBytes();
        byte[] buffer = new byte[16_384];
        int n;
        while (budget > 0 && (n = in.read(buffer)) > 0) {
            budget -= n;
        }
    }

    private static byte[] response(String contentType, TraceSplitter.Split split) {
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (split.rejectedSpans() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(split.rejectedSpans())
                    .setErrorMessage("rejected " + split.rejectedSpans() + " spans: "
                            + split.rejectedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))));
        }
        if (PROTOBUF.equals(contentType)) {
            return response.build().toByteArray();
        }
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(response)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print an ExportTraceServiceResponse", e);
        }
    }

    /** A {@code google.rpc.Status} (code = 1, message = 2), in protobuf or its JSON mapping. */
    private static byte[] status(String contentType, int code, String message) {
        if (JSON.equals(contentType)) {
            return ("{\"code\":" + code + ",\"message\":" + jsonString(message) + "}").getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body, Long retryAfter)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The media type without parameters, lower case; null when absent. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
