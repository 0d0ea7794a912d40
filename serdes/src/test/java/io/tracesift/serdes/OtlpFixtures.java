package io.tracesift.serdes;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.ArrayList;
import java.util.List;

/** Real-shaped OTLP exports shared by the serdes tests. */
public final class OtlpFixtures {
    static final String TRACE_HEX = "5b8efff798038103d269b633813fc60c";
    static final String ROOT_SPAN_HEX = "eee19b7ec3c1b174";
    static final long T0 = 1_700_000_000_123_456_789L;

    /** The stack trace a Java agent records on an "exception" event: multi-line, tabs, unicode. */
    static final String STACK_TRACE = """
            java.lang.IllegalStateException: Bestellung fehlgeschlagen – ünknown SKU "42"
            \tat shop.checkout.CheckoutService.placeOrder(CheckoutService.java:118)
            \tat shop.checkout.CheckoutController.post(CheckoutController.java:57)
            Caused by: java.net.SocketTimeoutException: Read timed out
            \tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
            \t... 42 more""";

    private OtlpFixtures() {
    }

    static ByteString hex(String hex) {
        return ByteString.copyFrom(TraceIds.fromHex(hex));
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    static AnyValue bool(boolean b) {
        return AnyValue.newBuilder().setBoolValue(b).build();
    }

    static AnyValue int64(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    static AnyValue dbl(double v) {
        return AnyValue.newBuilder().setDoubleValue(v).build();
    }

    static AnyValue bytes(byte... b) {
        return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(b)).build();
    }

    static AnyValue array(AnyValue... values) {
        return AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values))).build();
    }

    static AnyValue kvlist(KeyValue... values) {
        return AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(List.of(values))).build();
    }

    /** One attribute of every AnyValue type, with 64-bit edge values beyond 2^53 and unicode. */
    static List<KeyValue> everyValueType() {
        return List.of(
                attr("service.name", str("checkout")),
                attr("unicode", str("Grüße 🚀 日本語 \"quoted\" \\ back\nslash")),
                attr("empty.string", str("")),
                attr("flag", bool(true)),
                attr("flag.false", bool(false)),
                attr("int.max", int64(Long.MAX_VALUE)),
                attr("int.min", int64(Long.MIN_VALUE)),
                attr("int.beyond.2^53", int64((1L << 53) + 1)),
                attr("int.negative", int64(-7)),
                attr("double", dbl(3.141592653589793)),
                attr("double.tiny", dbl(-1.0e-300)),
                attr("array", array(str("a"), int64(9_007_199_254_740_993L), bool(false), dbl(0.5))),
                attr("array.empty", array()),
                attr("kvlist", kvlist(attr("nested", kvlist(attr("deep", str("x")))), attr("n", int64(1)))),
                attr("bytes", bytes((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80)),
                attr("bytes.empty", bytes()),
                attr("no.value", AnyValue.getDefaultInstance()));
    }

    /** An export with two resources, several scopes and spans of every kind and status code. */
    public static ExportTraceServiceRequest richExport() {
        Resource resource = Resource.newBuilder()
                .addAllAttributes(everyValueType())
                .setDroppedAttributesCount(3)
                .build();
        InstrumentationScope scope = InstrumentationScope.newBuilder()
                .setName("io.opentelemetry.spring-webmvc-6.0")
                .setVersion("2.10.0-alpha")
                .addAllAttributes(everyValueType())
                .setDroppedAttributesCount(1)
                .build();

        List<Span> spans = new ArrayList<>();
        Span root = Span.newBuilder()
                .setTraceId(hex(TRACE_HEX))
                .setSpanId(hex(ROOT_SPAN_HEX))
                .setTraceState("ot=th:8;rv:abcdef12345678,vendor=x")
                .setFlags(0x301)
                .setName("POST /checkout")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(T0)
                .setEndTimeUnixNano(T0 + 2_500_000_000L)
                .addAllAttributes(everyValueType())
                .setDroppedAttributesCount(2)
                .addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(T0 + 2_400_000_000L)
                        .setName("exception")
                        .addAttributes(attr("exception.type", str("java.lang.IllegalStateException")))
                        .addAttributes(attr("exception.message", str("Bestellung fehlgeschlagen")))
                        .addAttributes(attr("exception.stacktrace", str(STACK_TRACE)))
                        .addAttributes(attr("exception.escaped", bool(true)))
                        .setDroppedAttributesCount(1))
                .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 1).setName("cache.miss"))
                .setDroppedEventsCount(4)
                .addLinks(Span.Link.newBuilder()
                        .setTraceId(hex("0af7651916cd43dd8448eb211c80319c"))
                        .setSpanId(hex("b7ad6b7169203331"))
                        .setTraceState("congo=t61rcWkgMzE")
                        .addAttributes(attr("messaging.batch.index", int64(3)))
                        .setDroppedAttributesCount(1)
                        .setFlags(0x101))
                .setDroppedLinksCount(5)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("payment 💥"))
                .build();
        spans.add(root);

        int n = 1;
        for (Span.SpanKind kind : Span.SpanKind.values()) {
            if (kind == Span.SpanKind.UNRECOGNIZED) {
                continue;
            }
            for (Status.StatusCode code : Status.StatusCode.values()) {
                if (code == Status.StatusCode.UNRECOGNIZED) {
                    continue;
                }
                spans.add(Span.newBuilder()
                        .setTraceId(hex(TRACE_HEX))
                        .setSpanId(hex(String.format("%016x", 0x1000L + n)))
                        .setParentSpanId(hex(ROOT_SPAN_HEX))
                        .setName(kind.name().toLowerCase() + " " + code.name().toLowerCase())
                        .setKind(kind)
                        .setStartTimeUnixNano(T0 + n * 1_000L)
                        .setEndTimeUnixNano(T0 + n * 1_000L + 999)
                        .setStatus(Status.newBuilder().setCode(code))
                        .build());
                n++;
            }
        }
        // Every field at its default: the empty span must survive a round trip too.
        spans.add(Span.getDefaultInstance());

        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource)
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope)
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                                .addAllSpans(spans))
                        .addScopeSpans(ScopeSpans.getDefaultInstance()))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attr("service.name", str("Zahlung-日本"))))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("manual"))
                                .addSpans(Span.newBuilder()
                                        .setTraceId(hex("ffffffffffffffffffffffffffffffff"))
                                        .setSpanId(hex("0000000000000001"))
                                        .setName("")
                                        .setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
                                        .setStartTimeUnixNano(-1L)
                                        .setEndTimeUnixNano(Long.MIN_VALUE))))
                .addResourceSpans(ResourceSpans.getDefaultInstance())
                .build();
    }
}
