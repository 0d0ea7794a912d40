package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.Map;

/** Builds SpanSamples for tests: a 100 ms internal OK span of service "checkout" in tenant "acme" unless told. */
final class TestSpans {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private String tenant = "acme";
    private String service = "checkout";
    private String name = "GET /cart";
    private int kind = 1;
    private int status = 0;
    private long start = T0;
    private long end = T0 + 100_000_000L;
    private long size = 200;
    private String traceId = TRACE;
    private String spanId = "b7ad6b7169203331";
    private String parent = "";
    private final Map<String, Object> attributes = new HashMap<>();
    private boolean kept;

    static TestSpans span() {
        return new TestSpans();
    }

    TestSpans tenant(String v) { tenant = v; return this; }
    TestSpans service(String v) { service = v; return this; }
    TestSpans name(String v) { name = v; return this; }
    TestSpans kind(int v) { kind = v; return this; }
    TestSpans status(int v) { status = v; return this; }
    /** Moves the span to start at {@code v}, keeping its duration. */
    TestSpans start(long v) { end = v + (end - start); start = v; return this; }
    TestSpans durationNanos(long v) { end = start + v; return this; }
    TestSpans durationMillis(long v) { return durationNanos(v * 1_000_000L); }
    TestSpans size(long v) { size = v; return this; }
    TestSpans traceId(String v) { traceId = v; return this; }
    TestSpans id(String v) { spanId = v; return this; }
    TestSpans parent(String v) { parent = v; return this; }
    TestSpans attr(String k, Object v) { attributes.put(k, v); return this; }
    TestSpans kept() { kept = true; return this; }

    /** A hex span id as the number SpanSample holds; "" is 0, unknown or none. */
    private static long spanId(String hex) {
        return hex.isEmpty() ? 0 : Long.parseUnsignedLong(hex, 16);
    }

    SpanSample build() {
        return new SpanSample(tenant, service, name, kind, status, start, end, size, traceId, spanId(spanId), spanId(parent),
                SpanSample.Attributes.of(attributes), kept);
    }
}
