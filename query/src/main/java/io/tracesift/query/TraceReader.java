package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;

/** Reads a stored trace back as one request: the chunk values concatenated and parsed once. */
final class TraceReader {
    private TraceReader() {
    }

    /**
     * Concatenated protobuf messages parse as their merge, and {@code resource_spans} is repeated, so the
     * concatenation of every stored record is the whole trace.
     */
    static ExportTraceServiceRequest read(ReadOnlyKeyValueStore<Bytes, byte[]> chunks, byte[] traceKey, int records) {
        if (records == 0) {
            return ExportTraceServiceRequest.getDefaultInstance();
        }
        if (records == 1) {
            // Most traces arrive whole: one point read instead of opening an iterator (a seek and its bookkeeping).
            byte[] whole = chunks.get(Bytes.wrap(QueryKeys.chunk(traceKey, 0)));
            return whole == null ? ExportTraceServiceRequest.getDefaultInstance() : parse(whole);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (KeyValueIterator<Bytes, byte[]> it = chunks.range(Bytes.wrap(QueryKeys.chunk(traceKey, 0)),
                Bytes.wrap(QueryKeys.chunk(traceKey, records - 1)))) {
            while (it.hasNext()) {
                all.writeBytes(it.next().value);
            }
        }
        return parse(all.toByteArray());
    }

    private static ExportTraceServiceRequest parse(byte[] records) {
        try {
            return ExportTraceServiceRequest.parseFrom(records);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("stored trace records no longer parse", e);
        }
    }
}
