package io.tracesift.topology;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the spans of a kept trace into output record values: OTLP ExportTraceServiceRequest protobuf,
 * grouped by resource and scope, each at most {@code maxRecordBytes} (a trace too large for one record is
 * split, never dropped), with the decision and truncation stamped on every span when asked to.
 */
final class TraceChunker {
    private final int maxRecordBytes;
    private final boolean stampDecision;

    TraceChunker(int maxRecordBytes, boolean stampDecision) {
        this.maxRecordBytes = maxRecordBytes;
        this.stampDecision = stampDecision;
    }

    /**
     * @param droppedSpans spans left out by truncation; when positive every span is marked truncated
     * @return one or more encoded requests, together holding every span exactly once
     */
    List<byte[]> chunks(List<StoredSpan> spans, DecisionEntry decision, int droppedSpans) {
        byte[] stamps = encodedAttributes(stamps(decision, droppedSpans));
        List<byte[]> chunks = new ArrayList<>();
        OutputBatch batch = new OutputBatch(stamps);
        for (StoredSpan s : spans) {
            if (!batch.isEmpty() && batch.estimatedBytes() + batch.costOf(s.scanned()) > maxRecordBytes) {
                chunks.add(batch.encode());
                batch = new OutputBatch(stamps);
            }
            batch.add(s.scanned());
        }
        if (!batch.isEmpty()) {
            chunks.add(batch.encode());
        }
        return chunks;
    }

    /** The attributes as encoded Span fields (field 9), to append to each stored span's encoding. */
    private static byte[] encodedAttributes(List<KeyValue> attributes) {
        int size = 0;
        for (KeyValue kv : attributes) {
            size += CodedOutputStream.computeMessageSize(Span.ATTRIBUTES_FIELD_NUMBER, kv);
        }
        byte[] out = new byte[size];
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        try {
            for (KeyValue kv : attributes) {
                w.writeMessage(Span.ATTRIBUTES_FIELD_NUMBER, kv);
            }
            w.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding stamp attributes into an array of their computed size", e);
        }
        return out;
    }

    private List<KeyValue> stamps(DecisionEntry decision, int droppedSpans) {
        List<KeyValue> stamps = new ArrayList<>(4);
        if (stampDecision) {
            stamps.add(attribute(TracesiftTopology.RULE_ATTRIBUTE, AnyValue.newBuilder().setStringValue(decision.rule())));
            stamps.add(attribute(TracesiftTopology.RATE_ATTRIBUTE, AnyValue.newBuilder().setIntValue(decision.sampleRate())));
        }
        if (droppedSpans > 0) {
            stamps.add(attribute(TracesiftTopology.TRUNCATED_ATTRIBUTE, AnyValue.newBuilder().setBoolValue(true)));
            stamps.add(attribute(TracesiftTopology.DROPPED_SPANS_ATTRIBUTE, AnyValue.newBuilder().setIntValue(droppedSpans)));
        }
        return stamps;
    }

    private static KeyValue attribute(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
