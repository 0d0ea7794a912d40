package io.tracesift.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * An immutable {@link SpanView} for tests; copy it freely. Start from {@link #root} or {@link #child}
 * and refine with the {@code with...} methods. Times are epoch nanoseconds.
 */
public record TestSpan(
        String service,
        String name,
        int kind,
        int statusCode,
        boolean hasExceptionEvent,
        boolean isRoot,
        long startEpochNanos,
        long endEpochNanos,
        Map<String, Object> spanAttributes,
        Map<String, Object> resourceAttributes) implements SpanView {

    public static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MILLI = 1_000_000L;

    public TestSpan {
        spanAttributes = Map.copyOf(spanAttributes);
        resourceAttributes = Map.copyOf(resourceAttributes);
    }

    /** A server root span starting at {@link #T0} and lasting {@code millis}. */
    public static TestSpan root(String service, String name, long millis) {
        return new TestSpan(service, name, 2, 0, false, true, T0, T0 + millis * MILLI, Map.of(), Map.of());
    }

    /** An internal child span starting {@code offsetMillis} after {@link #T0} and lasting {@code millis}. */
    public static TestSpan child(String service, String name, long offsetMillis, long millis) {
        long start = T0 + offsetMillis * MILLI;
        return new TestSpan(service, name, 1, 0, false, false, start, start + millis * MILLI, Map.of(), Map.of());
    }

    public TestSpan withStatus(int code) {
        return new TestSpan(service, name, kind, code, hasExceptionEvent, isRoot, startEpochNanos, endEpochNanos,
                spanAttributes, resourceAttributes);
    }

    public TestSpan withExceptionEvent() {
        return new TestSpan(service, name, kind, statusCode, true, isRoot, startEpochNanos, endEpochNanos,
                spanAttributes, resourceAttributes);
    }

    public TestSpan withAttribute(String key, Object value) {
        Map<String, Object> attributes = new HashMap<>(spanAttributes);
        attributes.put(key, value);
        return new TestSpan(service, name, kind, statusCode, hasExceptionEvent, isRoot, startEpochNanos, endEpochNanos,
                attributes, resourceAttributes);
    }

    public TestSpan withResourceAttribute(String key, Object value) {
        Map<String, Object> attributes = new HashMap<>(resourceAttributes);
        attributes.put(key, value);
        return new TestSpan(service, name, kind, statusCode, hasExceptionEvent, isRoot, startEpochNanos, endEpochNanos,
                spanAttributes, attributes);
    }

    @Override
    public Object attribute(String key) {
        Object value = spanAttributes.get(key);
        return value != null ? value : resourceAttributes.get(key);
    }
}
