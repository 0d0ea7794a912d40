package io.tracesift.serdes;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.util.Locale;

/**
 * The trace encodings the OpenTelemetry Collector's Kafka exporter writes, one constant each.
 * {@link #AUTO} tells them apart by the first non-blank byte ('{' is JSON, anything else protobuf).
 * Because a protobuf export starts with byte 0x0A (a newline) and its length byte may be '{',
 * a record that only looks like JSON after leading whitespace is tried as JSON, then as protobuf.
 */
public enum OtlpEncoding {
    OTLP_PROTO {
        @Override
        public ExportTraceServiceRequest decode(byte[] bytes) throws OtlpDecodeException {
            if (bytes == null || bytes.length == 0) {
                throw empty();
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new OtlpDecodeException("undecodable-protobuf",
                        "not an OTLP protobuf ExportTraceServiceRequest (" + bytes.length + " bytes): "
                                + e.getMessage(), e);
            }
            // Random bytes often parse as nothing but unknown fields; a real export never does.
            if (request.getResourceSpansCount() == 0 && !request.getUnknownFields().asMap().isEmpty()) {
                throw new OtlpDecodeException("undecodable-protobuf",
                        "not an OTLP protobuf ExportTraceServiceRequest (" + bytes.length
                                + " bytes): no resource_spans, only unknown fields", null);
            }
            return request;
        }

        @Override
        public byte[] encode(ExportTraceServiceRequest request) {
            return request.toByteArray();
        }
    },
    OTLP_JSON {
        @Override
        public ExportTraceServiceRequest decode(byte[] bytes) throws OtlpDecodeException {
            if (bytes == null || firstNonBlank(bytes) < 0) {
                throw empty();
            }
            return OtlpJson.parse(bytes);
        }

        @Override
        public byte[] encode(ExportTraceServiceRequest request) {
            return OtlpJson.print(request);
        }
    },
    AUTO {
        @Override
        public ExportTraceServiceRequest decode(byte[] bytes) throws OtlpDecodeException {
            if (bytes == null || bytes.length == 0) {
                throw empty();
            }
            int first = firstNonBlank(bytes);
            if (first < 0 || bytes[first] != '{') {
                return OTLP_PROTO.decode(bytes);
            }
            if (first == 0) {
                return OTLP_JSON.decode(bytes);
            }
            try {
                return OTLP_JSON.decode(bytes);
            } catch (OtlpDecodeException notJson) {
                try {
                    return OTLP_PROTO.decode(bytes);
                } catch (OtlpDecodeException notProto) {
                    throw notJson;
                }
            }
        }

        @Override
        public byte[] encode(ExportTraceServiceRequest request) {
            return OTLP_PROTO.encode(request);
        }
    };

    /** Decodes one record value; never returns null. A null or empty value is reason {@code empty-record}. */
    public abstract ExportTraceServiceRequest decode(byte[] bytes) throws OtlpDecodeException;

    /** Encodes in this encoding; AUTO encodes as protobuf. */
    public abstract byte[] encode(ExportTraceServiceRequest request);

    /** The spelling used in configuration and by the Collector: {@code otlp_proto}, {@code otlp_json}, {@code auto}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value: {@code otlp_proto}, {@code otlp_json} or {@code auto}, in any case.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static OtlpEncoding fromConfig(String value) {
        if (value != null) {
            String wanted = value.trim();
            for (OtlpEncoding encoding : values()) {
                if (encoding.configName().equalsIgnoreCase(wanted)) {
                    return encoding;
                }
            }
        }
        throw new IllegalArgumentException("unknown OTLP encoding " + (value == null ? "null" : "'" + value + "'")
                + "; valid: otlp_proto, otlp_json, auto");
    }

    private static OtlpDecodeException empty() {
        return new OtlpDecodeException("empty-record", "record value is empty", null);
    }

    /** Index of the first byte that is not JSON whitespace, or -1. */
    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
