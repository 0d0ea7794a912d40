package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Kept traces as the pipeline publishes them on {@code traces.<tenant>}: one OTLP protobuf record per trace, keyed
 * by the 32-hex trace id. Each trace has five spans over three of {@link #SERVICES} services, lasts 20-420 ms (1 %
 * 3-8 s), and fails in 2 % of the traces (root span error, {@code http.status_code=500}). The traces cover the day
 * before {@code nowMs} in the order they are written (up to a second out of order), as a day of kept traces
 * arrives: the pipeline publishes a trace seconds after it ends.
 */
final class QueryTraceInput {
    static final int SERVICES = 20;
    static final int SPANS_PER_TRACE = 5;
    static final int ROOT_OPERATIONS = 30;
    private static final long DAY_NS = 86_400_000_000_000L;

    private final long seed;
    private final long dayStartNs;
    private final int traces;
    private final SplittableRandom random;

    QueryTraceInput(long seed, long nowMs, int traces) {
        this.seed = seed;
        this.dayStartNs = (nowMs - 86_400_000L) * 1_000_000L;
        this.traces = traces;
        this.random = new SplittableRandom(seed);
    }

    static String service(int n) {
        return "service-" + n;
    }

    /** The id of trace {@code i}: a seed-dependent high half (spreads the keys) and i + 1 (never all zero). */
    static String traceIdHex(long seed, int i) {
        return HexFormat.of().formatHex(traceId(seed, i));
    }

    private static byte[] traceId(long seed, int i) {
        long high = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1))).nextLong();
        return ByteBuffer.allocate(16).putLong(high).putLong(i + 1L).array();
    }

    /** The next trace, which must be trace {@code i} (traces are generated in order from the seed). */
    ExportTraceServiceRequest next(int i) {
        ByteString traceId = ByteString.copyFrom(traceId(seed, i));
        String a = service(random.nextInt(SERVICES));
        String b = service(random.nextInt(SERVICES));
        String c = service(random.nextInt(SERVICES));
        long t0 = dayStartNs + (long) ((double) i / traces * (DAY_NS - 10_000_000_000L)) + random.nextLong(1_000_000_000L);
        long ms = random.nextInt(100) == 0 ? 3_000 + random.nextInt(5_000) : 20 + random.nextInt(400);
        boolean error = random.nextInt(50) == 0;
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(span(traceId, a, 0, -1, "GET /api/" + random.nextInt(ROOT_OPERATIONS), t0, 0, ms,
                        error, "http.status_code", error ? "500" : "200"))
                .addResourceSpans(span(traceId, b, 1, 0, "query", t0, 1, ms / 2, false, "db.system", "postgresql"))
                .addResourceSpans(span(traceId, b, 2, 1, "fetch", t0, 2, ms / 3, false))
                .addResourceSpans(span(traceId, c, 3, 0, "publish", t0, ms / 2, ms - 1, false,
                        "messaging.system", "kafka"))
                .addResourceSpans(span(traceId, c, 4, 3, "serialize", t0, ms / 2 + 1, ms / 2 + 5, false))
                .build();
    }

    private static ResourceSpans span(ByteString traceId, String service, int number, int parent, String name,
                                      long t0Ns, long startMs, long endMs, boolean error, String... attributes) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId(number))
                .setName(name)
                .setKind(number == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(t0Ns + startMs * 1_000_000)
                .setEndTimeUnixNano(t0Ns + endMs * 1_000_000);
        if (parent >= 0) {
            span.setParentSpanId(spanId(parent));
        }
        if (error) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream failed"));
        }
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(KeyValue.newBuilder().setKey(attributes[i])
                    .setValue(AnyValue.newBuilder().setStringValue(attributes[i + 1])));
        }
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
                .build();
    }

    private static ByteString spanId(int number) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(number + 1L).array());
    }
}
