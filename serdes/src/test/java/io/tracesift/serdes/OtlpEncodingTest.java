package io.tracesift.serdes;

import static io.tracesift.serdes.OtlpFixtures.array;
import static io.tracesift.serdes.OtlpFixtures.attr;
import static io.tracesift.serdes.OtlpFixtures.bool;
import static io.tracesift.serdes.OtlpFixtures.bytes;
import static io.tracesift.serdes.OtlpFixtures.dbl;
import static io.tracesift.serdes.OtlpFixtures.hex;
import static io.tracesift.serdes.OtlpFixtures.int64;
import static io.tracesift.serdes.OtlpFixtures.kvlist;
import static io.tracesift.serdes.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

class OtlpEncodingTest {

    private static final ExportTraceServiceRequest RICH = OtlpFixtures.richExport();

    @ParameterizedTest
    @EnumSource(OtlpEncoding.class)
    void everyEncodingDecodesWhatItEncodes(OtlpEncoding encoding) throws OtlpDecodeException {
        assertThat(encoding.decode(encoding.encode(RICH))).isEqualTo(RICH);
    }

    @Test
    void protobufThroughJsonAndBackIsUnchanged() throws OtlpDecodeException {
        ExportTraceServiceRequest fromProto = OtlpEncoding.OTLP_PROTO.decode(RICH.toByteArray());
        byte[] json = OtlpEncoding.OTLP_JSON.encode(fromProto);
        byte[] proto = OtlpEncoding.OTLP_PROTO.encode(OtlpEncoding.OTLP_JSON.decode(json));

        assertThat(proto).isEqualTo(RICH.toByteArray());
    }

    @Test
    void autoEncodesAsProtobuf() {
        assertThat(OtlpEncoding.AUTO.encode(RICH)).isEqualTo(RICH.toByteArray());
    }

    @Test
    void jsonFollowsTheOtlpJsonRules() {
        String json = new String(OtlpEncoding.OTLP_JSON.encode(RICH), StandardCharsets.UTF_8);

        assertThat(json)
                .startsWith("{\"resourceSpans\":[")
                .contains("\"traceId\":\"" + OtlpFixtures.TRACE_HEX + "\"")
                .contains("\"spanId\":\"" + OtlpFixtures.ROOT_SPAN_HEX + "\"")
                .contains("\"parentSpanId\":\"" + OtlpFixtures.ROOT_SPAN_HEX + "\"")
                .contains("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\"")
                .contains("\"kind\":2", "\"code\":2")
                .contains("\"intValue\":\"9223372036854775807\"", "\"intValue\":\"9007199254740993\"")
                .contains("\"startTimeUnixNano\":\"1700000000123456789\"")
                .contains("\"startTimeUnixNano\":\"18446744073709551615\"")
                .contains("\"bytesValue\":\"AP9/gA==\"")
                .contains("\"droppedAttributesCount\":3", "\"scopeSpans\":", "\"timeUnixNano\":")
                .doesNotContain("trace_id", "span_id", "start_time_unix_nano", "SPAN_KIND_", "STATUS_CODE_");
    }

    @Test
    void decodesJsonAsTheCollectorWritesIt() throws Exception {
        ExportTraceServiceRequest expected = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attr("service.name", str("frontend")))
                                .addAttributes(attr("tenant.id", str("acme")))
                                .addAttributes(attr("host.cpu.count", int64(8)))
                                .addAttributes(attr("process.pid", int64(4242)))
                                .addAttributes(attr("container.restarts.total", int64(9_007_199_254_740_993L)))
                                .addAttributes(attr("sampling.ratio", dbl(0.25)))
                                .addAttributes(attr("feature.enabled", bool(true)))
                                .addAttributes(attr("process.command_args", array(str("java"), str("-jar"))))
                                .addAttributes(attr("k8s.labels", kvlist(attr("app", str("web")))))
                                .addAttributes(attr("host.id.raw", bytes((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80))))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder()
                                        .setName("io.opentelemetry.netty-4.1")
                                        .setVersion("2.10.0-alpha")
                                        .addAttributes(attr("scope.owner", str("büro"))))
                                .addSpans(Span.newBuilder()
                                        .setTraceId(hex("5b8efff798038103d269b633813fc60c"))
                                        .setSpanId(hex("eee19b7ec3c1b174"))
                                        .setTraceState("ot=th:8")
                                        .setFlags(769)
                                        .setName("GET /api/cart")
                                        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                        .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                                        .setEndTimeUnixNano(1_700_000_002_500_000_000L)
                                        .addAttributes(attr("http.request.method", str("GET")))
                                        .addAttributes(attr("http.response.status_code", int64(500)))
                                        .addEvents(Span.Event.newBuilder()
                                                .setTimeUnixNano(1_700_000_002_400_000_000L)
                                                .setName("exception")
                                                .addAttributes(attr("exception.type", str("java.io.IOException")))
                                                .addAttributes(attr("exception.stacktrace", str(
                                                        "java.io.IOException: broken pipe\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)"))))
                                        .addLinks(Span.Link.newBuilder()
                                                .setTraceId(hex("0af7651916cd43dd8448eb211c80319c"))
                                                .setSpanId(hex("b7ad6b7169203331"))
                                                .setTraceState("congo=t61rcWkgMzE")
                                                .addAttributes(attr("link.kind", str("follows")))
                                                .setFlags(257))
                                        .setDroppedEventsCount(1)
                                        .setStatus(Status.newBuilder()
                                                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                                .setMessage("upstream failed")))
                                .addSpans(Span.newBuilder()
                                        .setTraceId(hex("5b8efff798038103d269b633813fc60c"))
                                        .setSpanId(hex("00f067aa0ba902b7"))
                                        .setParentSpanId(hex("eee19b7ec3c1b174"))
                                        .setName("redis GET")
                                        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                                        .setStartTimeUnixNano(1_700_000_000_100_000_000L)
                                        .setEndTimeUnixNano(1_700_000_000_100_500_000L)
                                        .setStatus(Status.getDefaultInstance()))
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0"))
                .build();
        byte[] sample = resource("otlp/collector-export.json");

        assertThat(OtlpEncoding.OTLP_JSON.decode(sample)).isEqualTo(expected);
        assertThat(OtlpEncoding.AUTO.decode(sample)).isEqualTo(expected);
    }

    @Test
    void jsonAcceptsProtoFieldNamesAndEnumNamesToo() throws OtlpDecodeException {
        String json = """
                {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c",
                 "span_id":"eee19b7ec3c1b174","kind":"SPAN_KIND_PRODUCER","start_time_unix_nano":12}]}]}]}""";

        Span span = OtlpEncoding.OTLP_JSON.decode(json.getBytes(StandardCharsets.UTF_8))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span.getTraceId()).isEqualTo(hex("5b8efff798038103d269b633813fc60c"));
        assertThat(span.getSpanId()).isEqualTo(hex("eee19b7ec3c1b174"));
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(12L);
    }

    @Test
    void protobufKeepsUnknownFieldsFromNewerProducers() throws OtlpDecodeException {
        Span withFutureField = Span.newBuilder()
                .setTraceId(hex(OtlpFixtures.TRACE_HEX))
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                        .build())
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(withFutureField)))
                .build();

        ExportTraceServiceRequest decoded = OtlpEncoding.OTLP_PROTO.decode(request.toByteArray());

        assertThat(decoded.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId())
                .isEqualTo(hex(OtlpFixtures.TRACE_HEX));
    }

    @Test
    void autoDetectsJsonAfterLeadingWhitespace() throws OtlpDecodeException {
        byte[] json = ("\r\n\t  " + new String(OtlpEncoding.OTLP_JSON.encode(RICH), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(OtlpEncoding.AUTO.decode(json)).isEqualTo(RICH);
    }

    @Test
    void autoDecodesProtobufWhoseFirstBytesLookLikeJson() throws OtlpDecodeException {
        // Field 1 tag (0x0A, a newline) then length 123 ('{'): looks like "\n{" to a naive sniffer.
        ExportTraceServiceRequest request = withResourceSpansOfSize(123);
        byte[] proto = request.toByteArray();
        assertThat(Arrays.copyOf(proto, 2)).containsExactly(0x0A, '{');

        assertThat(OtlpEncoding.AUTO.decode(proto)).isEqualTo(request);
    }

    static Stream<Arguments> badInput() {
        byte[] proto = RICH.toByteArray();
        byte[] truncated = Arrays.copyOf(proto, proto.length / 2);
        byte[] garbage = new byte[512];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xff;
        String validJson = new String(OtlpEncoding.OTLP_JSON.encode(RICH), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of(OtlpEncoding.OTLP_PROTO, new byte[0], "empty-record"),
                Arguments.of(OtlpEncoding.AUTO, new byte[0], "empty-record"),
                Arguments.of(OtlpEncoding.AUTO, null, "empty-record"),
                Arguments.of(OtlpEncoding.OTLP_JSON, " \n\t ".getBytes(StandardCharsets.UTF_8), "empty-record"),
                Arguments.of(OtlpEncoding.OTLP_PROTO, truncated, "undecodable-protobuf"),
                Arguments.of(OtlpEncoding.AUTO, truncated, "undecodable-protobuf"),
                Arguments.of(OtlpEncoding.AUTO, garbage, "undecodable-protobuf"),
                Arguments.of(OtlpEncoding.AUTO, "hello world, not a trace".getBytes(StandardCharsets.UTF_8),
                        "undecodable-protobuf"),
                Arguments.of(OtlpEncoding.OTLP_PROTO, validJson.getBytes(StandardCharsets.UTF_8), "undecodable-protobuf"),
                Arguments.of(OtlpEncoding.OTLP_JSON, proto, "undecodable-json"),
                Arguments.of(OtlpEncoding.AUTO, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), "undecodable-json"),
                Arguments.of(OtlpEncoding.AUTO, "{\"resourceSpans\": []} trailing".getBytes(StandardCharsets.UTF_8),
                        "undecodable-json"),
                Arguments.of(OtlpEncoding.OTLP_JSON, "[1, 2]".getBytes(StandardCharsets.UTF_8), "undecodable-json"),
                Arguments.of(OtlpEncoding.AUTO, "{\"resourceSpans\": 7}".getBytes(StandardCharsets.UTF_8), "undecodable-json"),
                Arguments.of(OtlpEncoding.AUTO,
                        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"not-a-kind-at-all\",\"startTimeUnixNano\":\"soon\"}]}]}]}"
                                .getBytes(StandardCharsets.UTF_8), "undecodable-json"),
                Arguments.of(OtlpEncoding.OTLP_JSON, spanJson("\"traceId\":\"5b8efff798038103d269b633813fc6\""), "invalid-hex-id"),
                Arguments.of(OtlpEncoding.OTLP_JSON, spanJson("\"spanId\":\"eee19b7ec3c1b17\""), "invalid-hex-id"),
                Arguments.of(OtlpEncoding.AUTO, spanJson("\"parentSpanId\":\"zze19b7ec3c1b174\""), "invalid-hex-id"),
                Arguments.of(OtlpEncoding.AUTO, spanJson("\"spanId\":12345"), "invalid-hex-id"),
                Arguments.of(OtlpEncoding.AUTO,
                        spanJson("\"links\":[{\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"eee19b7ec3c1b174\"}]"),
                        "invalid-hex-id"));
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("badInput")
    void badInputIsRejectedWithAStableReason(OtlpEncoding encoding, byte[] bytes, String reason) {
        OtlpDecodeException e = catchThrowableOfType(OtlpDecodeException.class, () -> encoding.decode(bytes));

        assertThat(e).as("decode must fail").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void wrongLengthHexIdNamesWhereItIs() {
        OtlpDecodeException e = catchThrowableOfType(OtlpDecodeException.class, () -> OtlpEncoding.OTLP_JSON.decode(
                spanJson("\"traceId\":\"5b8efff798038103d269b633813fc6\"")));

        assertThat(e.getMessage())
                .contains("resourceSpans[0].scopeSpans[0].spans[0].traceId")
                .contains("expected 32 hex characters, found 30");
    }

    @Test
    void emptyIdsInJsonMeanNoId() throws OtlpDecodeException {
        Span span = OtlpEncoding.OTLP_JSON.decode(spanJson("\"traceId\":\"\",\"parentSpanId\":\"\""))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span.getTraceId()).isEqualTo(ByteString.EMPTY);
        assertThat(span.getParentSpanId()).isEqualTo(ByteString.EMPTY);
    }

    @ParameterizedTest
    @CsvSource({
            "otlp_proto, OTLP_PROTO", "OTLP_PROTO, OTLP_PROTO", "otlp_json, OTLP_JSON", "Otlp_Json, OTLP_JSON",
            "auto, AUTO", "AUTO, AUTO", "' auto ', AUTO"})
    void fromConfigAcceptsTheCollectorSpellingsInAnyCase(String value, OtlpEncoding expected) {
        assertThat(OtlpEncoding.fromConfig(value)).isEqualTo(expected);
        assertThat(OtlpEncoding.fromConfig(expected.configName())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "proto", "json", "otlp-proto", "otlp_protobuf", "raw"})
    void fromConfigRejectsAnythingElseNamingTheValidValues(String value) {
        assertThatThrownBy(() -> OtlpEncoding.fromConfig(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("otlp_proto, otlp_json, auto");
    }

    @Test
    void fromConfigRejectsNull() {
        assertThatThrownBy(() -> OtlpEncoding.fromConfig(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("otlp_proto, otlp_json, auto");
    }

    private static byte[] spanJson(String spanFields) {
        return ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + spanFields + "}]}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An export with one ResourceSpans whose serialized size is exactly {@code size} bytes. */
    private static ExportTraceServiceRequest withResourceSpansOfSize(int size) {
        for (int schemaLength = 0; schemaLength < size; schemaLength++) {
            ResourceSpans rs = ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                            .setTraceId(hex(OtlpFixtures.TRACE_HEX))
                            .setSpanId(hex(OtlpFixtures.ROOT_SPAN_HEX))
                            .setName("op")))
                    .setSchemaUrl("s".repeat(schemaLength))
                    .build();
            if (rs.getSerializedSize() == size) {
                return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
            }
        }
        throw new IllegalStateException("no ResourceSpans of size " + size);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OtlpEncodingTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
