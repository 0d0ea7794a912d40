package io.tracesift.serdes;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * The trace encodings the OpenTelemetry Collector's Kafka exporter writes, one constant each.
 * {@link #AUTO} tells them apart by the first non-blank byte ('{' is JSON, anything else protobuf).
 */
public enum OtlpEncoding {
    OTLP_PROTO,
    OTLP_JSON,
    AUTO;

    /** Decodes one record value; never returns null. */
    public ExportTraceServiceRequest decode(byte[] bytes) throws OtlpDecodeException {
        throw new UnsupportedOperationException("TODO(serdes)");
    }

    /** Encodes in this encoding; AUTO encodes as protobuf. */
    public byte[] encode(ExportTraceServiceRequest request) {
        throw new UnsupportedOperationException("TODO(serdes)");
    }

    /** Parses a configuration value: {@code otlp_proto}, {@code otlp_json} or {@code auto}. */
    public static OtlpEncoding fromConfig(String value) {
        throw new UnsupportedOperationException("TODO(serdes)");
    }
}
