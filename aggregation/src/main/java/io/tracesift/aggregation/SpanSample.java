package io.tracesift.aggregation;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * What aggregation needs of one span. Built by the topology from its decoded span; kinds and status
 * codes use OTLP's numbers.
 *
 * @param tenant            the span's tenant, already resolved
 * @param service           {@code service.name}; null or blank becomes {@link #UNKNOWN_SERVICE}
 * @param name              the span name; null becomes the empty string
 * @param kind              OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer
 * @param statusCode        OTLP StatusCode: 0 unset, 1 ok, 2 error
 * @param startEpochNanos   start, producer clock
 * @param endEpochNanos     end, producer clock
 * @param sizeBytes         encoded size of the span (for {@code traces_spanmetrics_size_total})
 * @param traceIdHex        32 lowercase hex characters
 * @param spanId            the 8-byte span id, big-endian; 0 when unknown
 * @param parentSpanId      the parent's 8-byte span id, big-endian; 0 for a root span (ids as numbers: the service
 *                          graph pairs every client and server span by them, and hex strings were most of its cost)
 * @param attributes        attribute lookup, span attributes first, then resource attributes
 * @param traceKept         true when the trace is known to be kept (for example an error or a span slower
 *                          than the sampler's always-keep threshold): only then may its ids become exemplars
 */
public record SpanSample(String tenant, String service, String name, int kind, int statusCode,
                         long startEpochNanos, long endEpochNanos, long sizeBytes,
                         String traceIdHex, long spanId, long parentSpanId,
                         Attributes attributes, boolean traceKept) {

    /** Placeholder service for spans without {@code service.name} (the OpenTelemetry SDKs' own default). */
    public static final String UNKNOWN_SERVICE = "unknown_service";

    public static final int KIND_SERVER = 2;
    public static final int KIND_CLIENT = 3;
    public static final int KIND_PRODUCER = 4;
    public static final int KIND_CONSUMER = 5;
    public static final int STATUS_ERROR = 2;

    /** Looks up one attribute: String, Long, Double, Boolean (other kinds as String); null when absent. */
    @FunctionalInterface
    public interface Attributes {
        Object get(String key);

        Attributes NONE = key -> null;

        static Attributes of(Map<String, ?> map) {
            Map<String, ?> copy = Map.copyOf(map);
            return copy::get;
        }
    }

    public SpanSample {
        Objects.requireNonNull(tenant, "tenant");
        service = service == null || service.isBlank() ? UNKNOWN_SERVICE : service;
        name = name == null ? "" : name;
        traceIdHex = traceIdHex == null ? "" : traceIdHex;
        attributes = attributes == null ? Attributes.NONE : attributes;
    }

    public boolean isRoot() {
        return parentSpanId == 0;
    }

    /** 16 lowercase hex characters; "" when the id is unknown. */
    public String spanIdHex() {
        return spanId == 0 ? "" : HexFormat.of().toHexDigits(spanId);
    }

    public boolean isError() {
        return statusCode == STATUS_ERROR;
    }

    /** End minus start; negative when the producer's clock or instrumentation is broken. */
    public long durationNanos() {
        return endEpochNanos - startEpochNanos;
    }

    /** The attribute as a label value: its string form, or null when absent. */
    public String attributeText(String key) {
        Object value = attributes.get(key);
        return value == null ? null : value.toString();
    }
}
