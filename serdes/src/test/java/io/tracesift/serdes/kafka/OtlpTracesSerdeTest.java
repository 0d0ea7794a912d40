package io.tracesift.serdes.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.serdes.OtlpFixtures;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

class OtlpTracesSerdeTest {

    private static final ExportTraceServiceRequest RICH = OtlpFixtures.richExport();

    @Test
    void defaultsToAutoDetectionAndWritesProtobuf() {
        OtlpTracesSerde serde = new OtlpTracesSerde();

        assertThat(serde.encoding()).isEqualTo(OtlpEncoding.AUTO);
        assertThat(serde.serializer().serialize("otlp_spans", RICH)).isEqualTo(RICH.toByteArray());
    }

    @ParameterizedTest
    @CsvSource({"otlp_proto, OTLP_PROTO", "OTLP_JSON, OTLP_JSON", "auto, AUTO"})
    void encodingComesFromTheConfigKey(String configured, OtlpEncoding expected) {
        OtlpTracesSerde serde = new OtlpTracesSerde();
        serde.configure(Map.of(OtlpTracesSerde.ENCODING_CONFIG, configured), false);

        assertThat(serde.encoding()).isEqualTo(expected);
        assertThat(serde.serialize("t", RICH)).isEqualTo(expected.encode(RICH));
    }

    @Test
    void configWithoutTheKeyKeepsTheConstructorsEncoding() {
        OtlpTracesSerde serde = new OtlpTracesSerde(OtlpEncoding.OTLP_JSON);
        serde.configure(Map.of("bootstrap.servers", "127.0.0.1:9092"), true);

        assertThat(serde.encoding()).isEqualTo(OtlpEncoding.OTLP_JSON);
    }

    @Test
    void acceptsAnEncodingObjectInConfig() {
        OtlpTracesSerde serde = new OtlpTracesSerde();
        serde.configure(Map.of(OtlpTracesSerde.ENCODING_CONFIG, OtlpEncoding.OTLP_JSON), false);

        assertThat(serde.encoding()).isEqualTo(OtlpEncoding.OTLP_JSON);
    }

    @Test
    void invalidEncodingIsAConfigErrorNamingKeyAndValidValues() {
        OtlpTracesSerde serde = new OtlpTracesSerde();

        assertThatThrownBy(() -> serde.configure(Map.of(OtlpTracesSerde.ENCODING_CONFIG, "protobuf"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(OtlpTracesSerde.ENCODING_CONFIG)
                .hasMessageContaining("protobuf")
                .hasMessageContaining("otlp_proto, otlp_json, auto");
    }

    @ParameterizedTest
    @EnumSource(OtlpEncoding.class)
    void roundTripsThroughSerializerAndDeserializer(OtlpEncoding encoding) {
        Serde<ExportTraceServiceRequest> serde = new OtlpTracesSerde(encoding);

        byte[] bytes = serde.serializer().serialize("otlp_spans", RICH);

        assertThat(serde.deserializer().deserialize("otlp_spans", bytes)).isEqualTo(RICH);
    }

    @Test
    void autoDeserializerReadsBothEncodings() {
        OtlpTracesSerde auto = new OtlpTracesSerde();

        assertThat(auto.deserialize("t", OtlpEncoding.OTLP_JSON.encode(RICH))).isEqualTo(RICH);
        assertThat(auto.deserialize("t", OtlpEncoding.OTLP_PROTO.encode(RICH))).isEqualTo(RICH);
    }

    @Test
    void nullMapsToNullBothWays() {
        OtlpTracesSerde serde = new OtlpTracesSerde();

        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void undecodableValueRaisesSerializationExceptionCarryingTheReason() {
        OtlpTracesSerde serde = new OtlpTracesSerde();

        assertThatThrownBy(() -> serde.deserialize("otlp_spans", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("otlp_spans")
                .hasMessageContaining("undecodable-json")
                .cause()
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo("undecodable-json"));
    }
}
