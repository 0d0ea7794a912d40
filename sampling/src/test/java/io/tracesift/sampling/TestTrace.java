package io.tracesift.sampling;

import java.util.List;

/** An immutable {@link TraceView} for tests; copy it freely. */
public record TestTrace(String tenant, String traceIdHex, List<SpanView> spans) implements TraceView {
    /** A trace id whose randomness (last 14 hex digits) is small, so it is kept only at p = 1. */
    public static final String LOW_ID = "4bf92f3577b34da6a300000000000001";
    /** A trace id whose randomness is near the top, so it is kept at any p above 0.0001 %. */
    public static final String HIGH_ID = "4bf92f3577b34da6a3fffffffffffffe";

    public TestTrace {
        spans = List.copyOf(spans);
    }

    public static TestTrace of(SpanView... spans) {
        return new TestTrace("acme", LOW_ID, List.of(spans));
    }

    public TestTrace withId(String traceIdHex) {
        return new TestTrace(tenant, traceIdHex, spans);
    }

    public TestTrace withTenant(String tenant) {
        return new TestTrace(tenant, traceIdHex, spans);
    }
}
