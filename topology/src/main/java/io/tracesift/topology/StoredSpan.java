package io.tracesift.topology;

import io.tracesift.serdes.ScannedSpan;
import io.tracesift.serdes.SpanFacts;
import io.tracesift.serdes.TraceIds;

/**
 * One stored span read from its bytes without decoding it: what sampling and trace metrics see of it at decision
 * time, and what the output copies.
 *
 * @param service the resource's {@code service.name}, looked up once per resource (see {@link StoredTrace#of});
 *                null when it has none
 */
public record StoredSpan(ScannedSpan scanned, String service) implements TraceSpan {
    @Override
    public String name() {
        return scanned.facts().name();
    }

    @Override
    public int kind() {
        return scanned.facts().kind();
    }

    @Override
    public int statusCode() {
        return scanned.facts().statusCode();
    }

    @Override
    public boolean hasExceptionEvent() {
        return scanned.facts().hasExceptionEvent();
    }

    @Override
    public boolean isRoot() {
        return IngestProcessor.isRootParent(scanned.facts().parentSpanId());
    }

    @Override
    public long startEpochNanos() {
        return scanned.facts().startTimeUnixNano();
    }

    @Override
    public long endEpochNanos() {
        return scanned.facts().endTimeUnixNano();
    }

    @Override
    public Object attribute(String key) {
        return scanned.attribute(key);
    }

    @Override
    public String spanIdHex() {
        return TraceIds.toHex(scanned.facts().spanId());
    }

    @Override
    public long spanId() {
        return TraceIds.toLong(scanned.facts().spanId());
    }

    @Override
    public long parentSpanId() {
        return isRoot() ? 0 : TraceIds.toLong(scanned.facts().parentSpanId());
    }

    @Override
    public int serializedSize() {
        return scanned.length();
    }

    SpanFacts facts() {
        return scanned.facts();
    }
}
