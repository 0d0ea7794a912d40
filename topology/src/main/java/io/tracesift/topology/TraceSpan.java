package io.tracesift.topology;

import io.tracesift.aggregation.SpanSample;
import io.tracesift.sampling.SpanView;

/**
 * One span as sampling and metrics see it, whether decoded at ingest ({@link AssembledSpan}) or read from its stored
 * bytes at decision time ({@link StoredSpan}).
 */
interface TraceSpan extends SpanView, SpanSample.Attributes {
    /** Metrics' name for {@link #attribute}. */
    @Override
    default Object get(String key) {
        return attribute(key);
    }

    String spanIdHex();

    /** The 8-byte span id as a big-endian number. */
    long spanId();

    /** The parent's span id as a number; 0 for a root span. */
    long parentSpanId();

    /** The encoded span's size in bytes. */
    int serializedSize();
}
