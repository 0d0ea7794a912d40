package io.tracesift.serdes.kafka;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.OtlpEncoding;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * Kafka serializer, deserializer and serde of OTLP trace exports, so producers, consumers,
 * Streams and tests share one codec. The encoding comes from the constructor or, when Kafka
 * instantiates the class by name, from {@value #ENCODING_CONFIG} ({@code otlp_proto},
 * {@code otlp_json} or {@code auto}; default {@code auto}, which writes protobuf).
 * A value that does not decode raises {@link SerializationException} whose cause is the
 * {@link OtlpDecodeException} carrying the reason code; a null value (tombstone) maps to null.
 */
public final class OtlpTracesSerde
        implements Serde<ExportTraceServiceRequest>, Serializer<ExportTraceServiceRequest>,
        Deserializer<ExportTraceServiceRequest> {

    public static final String ENCODING_CONFIG = "tracesift.otlp.encoding";

    private OtlpEncoding encoding;

    /** Uses {@link OtlpEncoding#AUTO} unless {@link #configure} says otherwise. */
    public OtlpTracesSerde() {
        this(OtlpEncoding.AUTO);
    }

    public OtlpTracesSerde(OtlpEncoding encoding) {
        if (encoding == null) {
            throw new IllegalArgumentException("encoding must not be null");
        }
        this.encoding = encoding;
    }

    public OtlpEncoding encoding() {
        return encoding;
    }

    /** @throws ConfigException if {@value #ENCODING_CONFIG} is set to something other than a valid encoding */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object value = configs.get(ENCODING_CONFIG);
        if (value instanceof OtlpEncoding e) {
            encoding = e;
        } else if (value != null) {
            try {
                encoding = OtlpEncoding.fromConfig(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ENCODING_CONFIG, value, e.getMessage());
            }
        }
    }

    @Override
    public byte[] serialize(String topic, ExportTraceServiceRequest request) {
        return request == null ? null : encoding.encode(request);
    }

    @Override
    public ExportTraceServiceRequest deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return encoding.decode(data);
        } catch (OtlpDecodeException e) {
            throw new SerializationException(
                    "record on topic " + topic + " is not OTLP traces (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<ExportTraceServiceRequest> serializer() {
        return this;
    }

    @Override
    public Deserializer<ExportTraceServiceRequest> deserializer() {
        return this;
    }

    @Override
    public void close() {
        // Stateless: nothing to release.
    }
}
