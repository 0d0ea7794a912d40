package io.tracesift.topology;

import io.tracesift.sampling.SpanView;

/**
 * One span as sampling and metrics see it, whether decoded at ingest ({@link AssembledSpan}) or read from its stored
 * bytes at decision time ({@link StoredSpan}).
 */
interface TraceSpan extends SpanView {
    String spanIdHex();

    /** "" for a span without a parent id. */
    String parentSpanIdHex();

    /** The encoded span's size in bytes. */
    int serializedSize();
}
