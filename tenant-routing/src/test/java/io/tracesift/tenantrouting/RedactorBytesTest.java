package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.tenantrouting.RedactorTest.AttributePosition;
import io.tracesift.tenantrouting.RedactorTest.TextPosition;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Redactor#mayRedact}: never false where redact() would change something, rarely true on clean telemetry. */
class RedactorBytesTest {
    private static final Redactor REDACTOR = Redactor.defaults();

    private static boolean mayRedact(Redactor redactor, byte[] bytes) {
        // the record sits inside a larger buffer, as in a Kafka batch
        byte[] framed = new byte[bytes.length + 7];
        Arrays.fill(framed, (byte) 0xff);
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        return redactor.mayRedact(framed, 3, bytes.length);
    }

    private static boolean mayRedact(ResourceSpans message) {
        return mayRedact(REDACTOR, message.toByteArray());
    }

    @Test
    void aRequestMayBeRedactedWhenAnyOfItsResourceSpansMayOrItsBytesCannotBeRead() {
        ResourceSpans clean = AttributePosition.SPAN.with(attribute("user.role", "admin"));
        ResourceSpans secret = AttributePosition.SPAN.with(attribute("password", "hunter2"));
        byte[] cleanTwice = ExportTraceServiceRequest.newBuilder().addResourceSpans(clean).addResourceSpans(clean)
                .build().toByteArray();
        byte[] secretSecond = ExportTraceServiceRequest.newBuilder().addResourceSpans(clean).addResourceSpans(secret)
                .build().toByteArray();

        assertThat(REDACTOR.mayRedactRequest(new byte[0])).isFalse();
        assertThat(REDACTOR.mayRedactRequest(cleanTwice)).isFalse();
        assertThat(REDACTOR.mayRedactRequest(secretSecond)).isTrue();
        assertThat(REDACTOR.mayRedactRequest(Arrays.copyOf(cleanTwice, cleanTwice.length - 1)))
                .as("the last ResourceSpans' length runs past the end").isTrue();
        assertThat(REDACTOR.mayRedactRequest(new byte[] {(byte) 0x80})).as("a tag cut short").isTrue();
    }

    private static KeyValue attribute(String key, String value) {
        return attribute(key, AnyValue.newBuilder().setStringValue(value).build());
    }

    private static KeyValue attribute(String key, long value) {
        return attribute(key, AnyValue.newBuilder().setIntValue(value).build());
    }

    private static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue array(String... items) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (String item : items) {
            array.addValues(AnyValue.newBuilder().setStringValue(item));
        }
        return AnyValue.newBuilder().setArrayValue(array).build();
    }

    // ---- every secret RedactorTest redacts, at every position: mayRedact is true ----

    static Stream<Arguments> secretsInEveryAttributePosition() {
        return RedactorTest.secretsInEveryAttributePosition();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("secretsInEveryAttributePosition")
    void secretValuesInEveryAttributePositionMayBeRedacted(AttributePosition position, String rule, String secret, String around) {
        String key = rule.equals("deny-key") ? "db.password" : "exception.message";
        ResourceSpans input = position.with(attribute(key, around.formatted(secret)));

        assertThat(REDACTOR.redact(input).counts()).as("fixture is redacted").isEqualTo(Map.of(rule, 1));
        assertThat(mayRedact(input)).isTrue();
        assertThat(mayRedact(position.with(attribute(key.replace("password", "user"), around.formatted("x")))))
                .as("the same message without the secret").isFalse();
    }

    static Stream<Arguments> secretsInEveryTextPosition() {
        return RedactorTest.secretsInEveryTextPosition();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("secretsInEveryTextPosition")
    void secretValuesInNamesAndStatusMessagesMayBeRedacted(TextPosition position, String rule, String secret, String around) {
        ResourceSpans input = position.with(around.formatted(secret));

        assertThat(REDACTOR.redact(input).counts()).as("fixture is redacted").isEqualTo(Map.of(rule, 1));
        assertThat(mayRedact(input)).isTrue();
        assertThat(mayRedact(position.with(around.formatted("x")))).as("the same message without the secret").isFalse();
    }

    static Stream<Arguments> deniedKeysInEveryAttributePosition() {
        List<Arguments> cases = new ArrayList<>();
        for (AttributePosition position : AttributePosition.values()) {
            for (String key : List.of("password", "PASSWORD", "db.password", "Authorization", "http.request.header.authorization",
                    "http.response.header.set-cookie", "db.connection_string", "api_key", "x-api-key", "client_secret",
                    "HTTP.REQUEST.HEADER.COOKIE", "refresh_token")) {
                cases.add(Arguments.of(position, key));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("deniedKeysInEveryAttributePosition")
    void deniedKeysMayBeRedactedWhateverTheValue(AttributePosition position, String key) {
        for (AnyValue value : List.of(AnyValue.newBuilder().setStringValue("hunter2").build(), AnyValue.newBuilder().setIntValue(7).build(),
                array("s3cr3t-value"), AnyValue.getDefaultInstance())) {
            ResourceSpans input = position.with(attribute(key, value));
            assertThat(REDACTOR.redact(input).counts()).as("fixture is redacted").isEqualTo(Map.of("deny-key", 1));
            assertThat(mayRedact(input)).as("%s = %s", key, value).isTrue();
        }
    }

    @Test
    void onlyTheConfiguredRulesCount() {
        Redactor noEmail = Redactor.fromConfig(Map.of("deny-keys", List.of("session"), "rules", Map.of("email", false)), new ArrayList<>());
        ResourceSpans email = AttributePosition.SPAN.with(attribute("user", "jane@example.com"));
        ResourceSpans password = AttributePosition.SPAN.with(attribute("db.password", "hunter2"));
        ResourceSpans session = AttributePosition.LINK.with(attribute("http.SESSION", "x"));

        assertThat(mayRedact(noEmail, email.toByteArray())).isFalse();
        assertThat(mayRedact(noEmail, password.toByteArray())).as("default deny-list replaced").isFalse();
        assertThat(mayRedact(noEmail, session.toByteArray())).isTrue();
        assertThat(mayRedact(email)).isTrue();
        assertThat(mayRedact(password)).isTrue();
        assertThat(mayRedact(session)).isFalse();
    }

    @Test
    void aDisabledRedactorAnswersFalseForSecretsButStillTrueForBytesThatDoNotParse() {
        Redactor disabled = Redactor.fromConfig(Map.of("enabled", false), new ArrayList<>());
        assertThat(mayRedact(disabled, AttributePosition.SPAN.with(attribute("password", "hunter2")).toByteArray())).isFalse();
        assertThat(mayRedact(disabled, new byte[] {(byte) 0xff, 1, 2})).isTrue();
    }

    @Test
    void outOfBoundsRangesAreRejected() {
        assertThatThrownBy(() -> REDACTOR.mayRedact(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> REDACTOR.mayRedact(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ---- realistic clean telemetry: false ----

    static Stream<Arguments> cleanTelemetry() {
        Resource resource = Resource.newBuilder()
                .addAttributes(attribute("service.name", "checkout"))
                .addAttributes(attribute("service.namespace", "shop"))
                .addAttributes(attribute("service.version", "1.42.0-rc.3+build.20261126"))
                .addAttributes(attribute("service.instance.id", "627cc493-f310-47de-96bd-71410b7dec09"))
                .addAttributes(attribute("deployment.environment.name", "production"))
                .addAttributes(attribute("k8s.pod.name", "checkout-7d9f8b-x2k4q"))
                .addAttributes(attribute("k8s.namespace.name", "shop-prod"))
                .addAttributes(attribute("k8s.node.name", "ip-10-0-12-34.eu-west-1.compute.internal"))
                .addAttributes(attribute("host.arch", "amd64"))
                .addAttributes(attribute("container.id", "a3f1b2c4d5e6f7081234567890123456789abcdefabcdef0123456789abcdef0"))
                .addAttributes(attribute("process.pid", 4711))
                .addAttributes(attribute("process.command_args", array("/usr/bin/java", "-Xmx2g", "-jar", "/app/checkout.jar")))
                .addAttributes(attribute("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(attribute("telemetry.sdk.language", "java"))
                .addAttributes(attribute("telemetry.sdk.version", "1.44.1"))
                .addEntityRefs(EntityRef.newBuilder().setType("service").addIdKeys("service.name").addDescriptionKeys("service.version"))
                .build();
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("io.opentelemetry.spring-webmvc-6.0")
                .setVersion("2.10.0-alpha").addAttributes(attribute("otel.scope.kind", "library")).build();
        List<Span> spans = List.of(
                span("GET /api/v1/orders/{orderId}", Span.SpanKind.SPAN_KIND_SERVER)
                        .addAttributes(attribute("http.request.method", "GET"))
                        .addAttributes(attribute("url.full", "https://shop.example.com/api/v1/orders/8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60?page=2&size=50"))
                        .addAttributes(attribute("url.scheme", "https"))
                        .addAttributes(attribute("http.route", "/api/v1/orders/{orderId}"))
                        .addAttributes(attribute("http.response.status_code", 200))
                        .addAttributes(attribute("server.address", "shop.example.com"))
                        .addAttributes(attribute("client.address", "203.0.113.195"))
                        .addAttributes(attribute("network.protocol.version", "1.1"))
                        .addAttributes(attribute("user_agent.original",
                                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"))
                        .addAttributes(attribute("http.request.header.accept", array("application/json", "text/plain;q=0.9")))
                        .build(),
                span("POST /api/v1/checkout", Span.SpanKind.SPAN_KIND_SERVER)
                        .addAttributes(attribute("http.request.method", "POST"))
                        .addAttributes(attribute("http.request.body.size", 1834))
                        .addAttributes(attribute("http.response.status_code", 502))
                        .addAttributes(attribute("error.type", "java.net.SocketTimeoutException"))
                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                .setMessage("upstream payments-api timed out after 30000 ms"))
                        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1_764_140_000_123_456_789L)
                                .addAttributes(attribute("exception.type", "java.net.SocketTimeoutException"))
                                .addAttributes(attribute("exception.message", "Read timed out"))
                                .addAttributes(attribute("exception.stacktrace", """
                                        java.net.SocketTimeoutException: Read timed out
                                        \tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)
                                        \tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)
                                        \tat com.example.shop.PaymentsClient.charge(PaymentsClient.java:87)
                                        \tat com.example.shop.CheckoutController.checkout(CheckoutController.java:142)
                                        """)))
                        .build(),
                span("SELECT shop.orders", Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(attribute("db.system.name", "postgresql"))
                        .addAttributes(attribute("db.namespace", "shop"))
                        .addAttributes(attribute("db.collection.name", "orders"))
                        .addAttributes(attribute("db.operation.name", "SELECT"))
                        .addAttributes(attribute("db.query.text",
                                "SELECT o.id, o.total_cents, o.created_at FROM orders o WHERE o.customer_id = $1 AND o.created_at > $2 ORDER BY o.created_at DESC LIMIT 50"))
                        .addAttributes(attribute("db.response.returned_rows", 17))
                        .addAttributes(attribute("server.address", "orders-db.shop.svc.cluster.local"))
                        .addAttributes(attribute("server.port", 5432))
                        .build(),
                span("INSERT shop.payments", Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(attribute("db.system.name", "postgresql"))
                        .addAttributes(attribute("db.query.text", "INSERT INTO payments (id, order_id, amount_cents, currency) VALUES (?, ?, ?, ?)"))
                        .addAttributes(attribute("db.query.parameter.1", "123456789012"))
                        .addAttributes(attribute("db.query.parameter.3", "EUR"))
                        .build(),
                span("GET", Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(attribute("db.system.name", "redis"))
                        .addAttributes(attribute("db.query.text", "GET cart:627cc493-f310-47de-96bd-71410b7dec09"))
                        .addAttributes(attribute("db.namespace", "0"))
                        .build(),
                span("chat gpt-4o", Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(attribute("gen_ai.operation.name", "chat"))
                        .addAttributes(attribute("gen_ai.provider.name", "openai"))
                        .addAttributes(attribute("gen_ai.request.model", "gpt-4o-2024-08-06"))
                        .addAttributes(attribute("gen_ai.response.model", "gpt-4o-2024-08-06"))
                        .addAttributes(attribute("gen_ai.response.id", "chatcmpl-AbC123xYz456DeF789"))
                        .addAttributes(attribute("gen_ai.request.temperature", AnyValue.newBuilder().setDoubleValue(0.2).build()))
                        .addAttributes(attribute("gen_ai.usage.input_tokens", 1287))
                        .addAttributes(attribute("gen_ai.usage.output_tokens", 342))
                        .addAttributes(attribute("gen_ai.response.finish_reasons", array("stop")))
                        .addAttributes(attribute("gen_ai.input.messages",
                                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a helpful shop assistant.\"}]},"
                                        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Where is order 123456789012? It was due 2026-11-24.\"}]}]"))
                        .addAttributes(attribute("gen_ai.output.messages", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                .addValues(attribute("role", "assistant"))
                                .addValues(attribute("content", "Ihre Bestellung ist unterwegs – Lieferung am Donnerstag. 配送中です。"))
                                .addValues(attribute("finish_reason", "stop"))).build()))
                        .build(),
                span("orders.v1 publish", Span.SpanKind.SPAN_KIND_PRODUCER)
                        .addAttributes(attribute("messaging.system", "kafka"))
                        .addAttributes(attribute("messaging.operation.type", "send"))
                        .addAttributes(attribute("messaging.destination.name", "orders.v1"))
                        .addAttributes(attribute("messaging.destination.partition.id", "7"))
                        .addAttributes(attribute("messaging.kafka.message.key", "order-8f14e45f"))
                        .addAttributes(attribute("messaging.message.id", "0af76519-16cd-43dd-8448-eb211c80319c"))
                        .addAttributes(attribute("messaging.client.id", "checkout-producer-1"))
                        .build(),
                span("orders.v1 process", Span.SpanKind.SPAN_KIND_CONSUMER)
                        .addAttributes(attribute("messaging.system", "kafka"))
                        .addAttributes(attribute("messaging.consumer.group.name", "fulfilment"))
                        .addAttributes(attribute("messaging.kafka.offset", 981_234_567L))
                        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
                                .setTraceState("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
                                .addAttributes(attribute("messaging.message.id", "0af76519-16cd-43dd-8448-eb211c80319c")))
                        .build(),
                span("HTTP GET", Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(attribute("url.full", "http://inventory:8080/v2/items?sku=SKU-000123&warehouse=AMS-1"))
                        .addAttributes(attribute("http.request.header.x-request-id", array("b7ad6b7169203331")))
                        .addAttributes(attribute("http.response.header.content-type", array("application/json; charset=utf-8")))
                        .addAttributes(attribute("http.request.resend_count", 1))
                        .addEvents(Span.Event.newBuilder().setName("retry").addAttributes(attribute("backoff.ms", 250)))
                        .build(),
                span("render cart.html", Span.SpanKind.SPAN_KIND_INTERNAL)
                        .addAttributes(attribute("template.name", "cart.html"))
                        .addAttributes(attribute("cart.items", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(attribute("sku", "SKU-000123")).addValues(attribute("qty", 2))
                                        .addValues(attribute("title", "Kaffeemühle „Classic“ – Edelstahl"))))
                                .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xff, 0, (byte) 0x80}))))
                                .build()))
                        .addAttributes(attribute("thread.name", "http-nio-8080-exec-3"))
                        .addAttributes(attribute("code.function.name", "com.example.shop.CartView.render"))
                        .addAttributes(attribute("timestamp", "2026-11-26T07:01:02.123456789Z"))
                        .build());
        List<Arguments> cases = new ArrayList<>();
        for (Span span : spans) {
            cases.add(Arguments.of(span.getName(), ResourceSpans.newBuilder().setResource(resource).setSchemaUrl("https://opentelemetry.io/schemas/1.28.0")
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addSpans(span)).build()));
        }
        cases.add(Arguments.of("all spans in one record", ResourceSpans.newBuilder().setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(spans).setSchemaUrl("https://opentelemetry.io/schemas/1.28.0"))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.jdbc")).addAllSpans(spans))
                .build()));
        return cases.stream();
    }

    private static Span.Builder span(String name, Span.SpanKind kind) {
        return Span.newBuilder()
                .setTraceId(ByteString.fromHex("0af7651916cd43dd8448eb211c80319c"))
                .setSpanId(ByteString.fromHex("b7ad6b7169203331"))
                .setParentSpanId(ByteString.fromHex("00f067aa0ba902b7"))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(1_764_140_000_000_000_000L)
                .setEndTimeUnixNano(1_764_140_000_042_000_000L)
                .setFlags(0x301);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cleanTelemetry")
    void cleanTelemetryNeedsNoRedaction(String name, ResourceSpans message) {
        assertThat(REDACTOR.redact(message).changed()).as("fixture is clean").isFalse();
        assertThat(mayRedact(message)).isFalse();
    }

    // ---- malformed bytes and invalid UTF-8: true, and the parse indeed rejects them ----

    private static final ResourceSpans CLEAN = AttributePosition.EVENT.with(attribute("note", "plain"));

    /** The message's bytes with the first occurrence of {@code placeholder} (an ASCII text of the same length) replaced. */
    private static byte[] patched(ResourceSpans message, String placeholder, byte[] replacement) {
        byte[] bytes = message.toByteArray();
        byte[] needle = placeholder.getBytes(UTF_8);
        assertThat(replacement).hasSize(needle.length);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, bytes, i, needle.length);
                return bytes;
            }
        }
        throw new AssertionError("placeholder not found: " + placeholder);
    }

    static Stream<Arguments> invalidUtf8() {
        byte[][] invalid = {
                {'a', (byte) 0xff},
                {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // surrogate
                {(byte) 0xe2, (byte) 0x82, 'x'}, // truncated sequence
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}; // past U+10FFFF
        List<Arguments> cases = new ArrayList<>();
        for (byte[] bytes : invalid) {
            String placeholder = "Q".repeat(bytes.length);
            cases.add(Arguments.of("string value", patched(AttributePosition.SPAN.with(attribute("note", "x" + placeholder + "y")), placeholder,
                    bytes)));
            cases.add(Arguments.of("nested value", patched(AttributePosition.INSIDE_NESTED_KVLIST.with(attribute("note", placeholder)),
                    placeholder, bytes)));
            cases.add(Arguments.of("key", patched(AttributePosition.RESOURCE.with(attribute("k" + placeholder, "v")), placeholder, bytes)));
            cases.add(Arguments.of("span name", patched(TextPosition.SPAN_NAME.with(placeholder), placeholder, bytes)));
            cases.add(Arguments.of("status message", patched(TextPosition.STATUS_MESSAGE.with(placeholder), placeholder, bytes)));
            cases.add(Arguments.of("event name", patched(TextPosition.EVENT_NAME.with(placeholder), placeholder, bytes)));
            cases.add(Arguments.of("scope name (not redacted, still validated)", patched(ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(placeholder))).build(),
                    placeholder, bytes)));
            cases.add(Arguments.of("link trace state", patched(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                    .addSpans(Span.newBuilder().addLinks(Span.Link.newBuilder().setTraceState(placeholder)))).build(), placeholder, bytes)));
            cases.add(Arguments.of("entity ref id key", patched(ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                    .addEntityRefs(EntityRef.newBuilder().addIdKeys("service.name").addIdKeys(placeholder))).build(), placeholder, bytes)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8InAnyStringFieldIsLeftToTheParse(String where, byte[] bytes) {
        assertThatThrownBy(() -> ResourceSpans.parseFrom(bytes)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThat(mayRedact(REDACTOR, bytes)).isTrue();
    }

    @Test
    void invalidUtf8InBytesValuesAndUnknownFieldsIsFine() {
        byte[] bytes = AttributePosition.SPAN.with(attribute("blob", AnyValue.newBuilder()
                .setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xc0})).build())).toByteArray();
        byte[] withUnknown = concat(bytes, new byte[] {15 << 3 | 2, 2, (byte) 0xff, (byte) 0xfe});
        assertThat(mayRedact(REDACTOR, bytes)).isFalse();
        assertThat(mayRedact(REDACTOR, withUnknown)).isFalse();
        assertThat(REDACTOR.redact(parse(withUnknown)).changed()).isFalse();
    }

    static Stream<Arguments> malformed() {
        byte[] valid = CLEAN.toByteArray();
        List<Arguments> cases = new ArrayList<>();
        for (int cut : new int[] {1, 2, valid.length / 3, valid.length / 2, valid.length - 1}) {
            cases.add(Arguments.of("truncated to " + cut + " bytes", Arrays.copyOf(valid, cut)));
        }
        cases.add(Arguments.of("field number 0", concat(valid, new byte[] {0, 0})));
        cases.add(Arguments.of("wire type 6", concat(valid, new byte[] {(byte) (9 << 3 | 6), 0})));
        cases.add(Arguments.of("wire type 7", concat(valid, new byte[] {(byte) (9 << 3 | 7), 0})));
        cases.add(Arguments.of("unmatched end group", concat(valid, new byte[] {(byte) (9 << 3 | 4)})));
        cases.add(Arguments.of("unterminated group", concat(valid, new byte[] {(byte) (9 << 3 | 3)})));
        cases.add(Arguments.of("length past the end", concat(valid, new byte[] {(byte) (9 << 3 | 2), 5, 1, 2})));
        cases.add(Arguments.of("negative length", concat(valid, new byte[] {(byte) (9 << 3 | 2), -1, -1, -1, -1, 15})));
        cases.add(Arguments.of("varint over 10 bytes", concat(valid, new byte[] {(byte) (9 << 3), -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1})));
        cases.add(Arguments.of("truncated varint", concat(valid, new byte[] {(byte) (9 << 3), -1})));
        cases.add(Arguments.of("truncated fixed64", concat(valid, new byte[] {(byte) (9 << 3 | 1), 1, 2, 3})));
        cases.add(Arguments.of("truncated fixed32", concat(valid, new byte[] {(byte) (9 << 3 | 5), 1, 2, 3})));
        // a Span (field 2 of ScopeSpans, inside field 2 of ResourceSpans) whose attribute KeyValue is cut short inside
        cases.add(Arguments.of("malformed nested message", new byte[] {2 << 3 | 2, 6, 2 << 3 | 2, 4, 9 << 3 | 2, 2, 1 << 3 | 2, 5}));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBytesAreLeftToTheParse(String what, byte[] bytes) {
        assertThatThrownBy(() -> ResourceSpans.parseFrom(bytes)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThat(mayRedact(REDACTOR, bytes)).isTrue();
    }

    @Test
    void wellFormedGroupsAreLeftToTheParseToo() {
        byte[] bytes = concat(CLEAN.toByteArray(), new byte[] {(byte) (9 << 3 | 3), (byte) (9 << 3 | 4)});
        assertThat(REDACTOR.redact(parse(bytes)).changed()).isFalse();
        assertThat(mayRedact(REDACTOR, bytes)).as("conservative").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 29})
    void nestingWithinTheLimitIsScanned(int arrays) {
        assertThat(mayRedact(nested(arrays, "plain"))).isFalse();
        assertThat(mayRedact(nested(arrays, "jane@example.com"))).isTrue();
    }

    @Test
    void deeperNestingIsLeftToTheParse() {
        ResourceSpans deep = nested(40, "plain");
        assertThat(REDACTOR.redact(deep).changed()).isFalse();
        assertThat(mayRedact(deep)).as("conservative").isTrue();
    }

    /** A span attribute whose string value sits inside {@code arrays} nested arrays (two messages each). */
    private static ResourceSpans nested(int arrays, String text) {
        AnyValue value = AnyValue.newBuilder().setStringValue(text).build();
        for (int i = 0; i < arrays; i++) {
            value = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build();
        }
        return AttributePosition.SPAN.with(attribute("nested", value));
    }

    // ---- randomized: soundness on messages rich in near-secrets, and on mutated bytes ----

    private static final String[] PIECES = {
            "bearer ", "Bearer\t", "BEARER", "bear", "er ", "abc123def", "eyJ", "eyJhbGci", "ey", "J", ".", "..", "@", "@mail",
            ".com", "example", "AKIA", "ASIA", "IOSFODNN7EXAMPLE", "A", "Z9X", "4111", "1111", "0005", "3782822463", " ", "-",
            "0", "7", "12", "jane", "é", "ü", "日本", "\uD83D\uDE00", "\u212A", "x", "GET /cart", "_", "=", "/", "+"};
    private static final String ALPHABET = "0123456789@.eyJbearrABCDEFGHIJKLMNOPQRSTUVWXYZ -é日\uD83D\uDE00";
    private static final String[] KEYS = {
            "http.request.method", "note", "exception.message", "db.password", "PASSWORD", "password_policy", "user.password.hint",
            "x-api-key", "api-key.id", "Cookie", "http.request.header.cookie", "set-cookie", "secret", "k8s.secret.name",
            "access_token", "token", "\u212Aey", "pa\u017Fsword", "db.pa\u017Fsword", "schlüssel", "ключ.password", "", "a.secret"};

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            if (random.nextBoolean()) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            } else {
                for (int c = 1 + random.nextInt(12); c > 0; c--) {
                    int at = random.nextInt(ALPHABET.length());
                    text.append(Character.isHighSurrogate(ALPHABET.charAt(at)) ? ALPHABET.substring(at, at + 2)
                            : Character.isLowSurrogate(ALPHABET.charAt(at)) ? "x" : String.valueOf(ALPHABET.charAt(at)));
                }
            }
        }
        return text.toString();
    }

    private static AnyValue randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 5 : 7)) {
            case 0, 1, 2 -> AnyValue.newBuilder().setStringValue(randomText(random)).build();
            case 3 -> AnyValue.newBuilder().setIntValue(random.nextLong()).build();
            case 4 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8(randomText(random))).build();
            case 5 -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                for (int n = random.nextInt(3); n > 0; n--) {
                    array.addValues(randomValue(random, depth + 1));
                }
                yield AnyValue.newBuilder().setArrayValue(array).build();
            }
            default -> AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(randomAttributes(random, depth + 1))).build();
        };
    }

    private static List<KeyValue> randomAttributes(Random random, int depth) {
        List<KeyValue> attributes = new ArrayList<>();
        for (int n = random.nextInt(3); n > 0; n--) {
            // mostly harmless keys, so that values decide often enough
            String key = random.nextInt(4) == 0 ? KEYS[random.nextInt(KEYS.length)] : KEYS[random.nextInt(3)];
            attributes.add(attribute(key, randomValue(random, depth)));
        }
        return attributes;
    }

    private static String rarely(Random random) {
        return random.nextInt(6) == 0 ? randomText(random) : "";
    }

    private static ResourceSpans randomMessage(Random random) {
        ResourceSpans.Builder message = ResourceSpans.newBuilder().setSchemaUrl(rarely(random))
                .setResource(Resource.newBuilder().addAllAttributes(randomAttributes(random, 0)));
        for (int s = random.nextInt(3); s > 0; s--) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(rarely(random))
                    .setVersion(rarely(random)).addAllAttributes(random.nextInt(3) == 0 ? randomAttributes(random, 0) : List.of()));
            for (int n = random.nextInt(3); n > 0; n--) {
                Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setName(random.nextInt(3) == 0 ? randomText(random) : "GET")
                        .setTraceState(rarely(random)).addAllAttributes(randomAttributes(random, 0));
                if (random.nextInt(4) == 0) {
                    span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(randomText(random)));
                }
                for (int e = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0; e > 0; e--) {
                    span.addEvents(Span.Event.newBuilder().setName(rarely(random)).addAllAttributes(randomAttributes(random, 0)));
                }
                if (random.nextInt(5) == 0) {
                    span.addLinks(Span.Link.newBuilder().setTraceState(rarely(random)).addAllAttributes(randomAttributes(random, 0)));
                }
                scope.addSpans(span);
            }
            message.addScopeSpans(scope);
        }
        return message.build();
    }

    @Test
    void neverFalseWhereRedactWouldChangeSomething() {
        Random random = new Random(20261126);
        int changed = 0;
        int clean = 0;
        int overApproximated = 0;
        for (int i = 0; i < 4_000; i++) {
            ResourceSpans message = randomMessage(random);
            boolean mayRedact = mayRedact(message);
            boolean redacted = REDACTOR.redact(message).changed();
            if (!mayRedact) {
                assertThat(redacted).as("ruled out, but redact() changes %s", message).isFalse();
                clean++;
            } else if (redacted) {
                changed++;
            } else {
                overApproximated++;
            }
        }
        assertThat(changed).as("messages redact() changes").isGreaterThan(500);
        assertThat(clean).as("messages ruled out").isGreaterThan(500);
        assertThat(overApproximated).as("false alarms: at most the pre-filter's").isLessThan(changed);
    }

    /**
     * Truncated, overwritten and inserted bytes: wherever mayRedact answers false, the parse succeeds and redact()
     * changes nothing, so a record passed through unparsed is one the fall-back would have passed as it was.
     */
    @Test
    void falseOnMutatedBytesMeansTheParseSucceedsAndNothingChanges() {
        Random random = new Random(42);
        int passed = 0;
        int rejected = 0;
        int flagged = 0;
        for (int i = 0; i < 4_000; i++) {
            byte[] bytes = mutate(randomMessage(random).toByteArray(), random);
            if (mayRedact(REDACTOR, bytes)) {
                flagged++;
                continue;
            }
            passed++;
            ResourceSpans parsed;
            try {
                parsed = ResourceSpans.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                rejected++;
                continue;
            }
            assertThat(REDACTOR.redact(parsed).changed()).as("ruled out, but redact() changes %s", parsed).isFalse();
        }
        assertThat(rejected).as("mayRedact false, but the parse rejects the bytes").isZero();
        assertThat(passed).isGreaterThan(300);
        assertThat(flagged).isGreaterThan(300);
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int at = random.nextInt(bytes.length);
        byte[] special = {0, 1, 2, 3, 4, 6, 7, 10, 11, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        byte b = random.nextBoolean() ? special[random.nextInt(special.length)] : (byte) random.nextInt(256);
        return switch (random.nextInt(3)) {
            case 0 -> Arrays.copyOf(bytes, at);
            case 1 -> {
                byte[] copy = bytes.clone();
                copy[at] = b;
                yield copy;
            }
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.write(b);
                out.write(bytes, at, bytes.length - at);
                yield out.toByteArray();
            }
        };
    }

    /** A length-delimited field: one-byte tag, varint length, content. */
    private static byte[] field(int number, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(number << 3 | 2);
        for (int n = content.length; ; n >>>= 7) {
            if (n < 0x80) {
                out.write(n);
                break;
            }
            out.write(n & 0x7f | 0x80);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] string(String text) {
        return field(1, text.getBytes(UTF_8));
    }

    /**
     * KeyValues in shapes other than a key and then one simple value, each with one-byte lengths: a value sent twice
     * (the parse merges them, the last string counts), a value holding two fields, lengths of two bytes, a key alone.
     * The check answers as the parse and redact() do, and true wherever any occurrence holds a secret.
     */
    @Test
    void everyShapeOfKeyValueIsCheckedWhole() {
        String email = "mail me at jane.doe@example.com";
        byte[] key = field(1, "exception.message".getBytes(UTF_8));
        byte[] longKey = field(1, ("x".repeat(130) + ".message").getBytes(UTF_8));
        byte[] deniedLongKey = field(1, ("x".repeat(130) + ".password").getBytes(UTF_8));
        byte[] clean = field(2, string("all good"));
        byte[] secret = field(2, string(email));
        byte[] longClean = field(2, string("y".repeat(200)));
        byte[] longSecret = field(2, string("y".repeat(200) + " " + email));
        byte[] secretThenNumber = field(2, concat(string(email), new byte[] {0x18, 0x05}));
        byte[] numberThenSecret = field(2, concat(new byte[] {0x18, 0x05}, string(email)));
        byte[] number = field(2, new byte[] {0x18, (byte) 0x96, 0x01});
        byte[] flag = field(2, new byte[] {0x10, 0x01});
        byte[] ratio = field(2, new byte[] {0x21, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f});
        Object[][] cases = {
                {"key and string", concat(key, clean), false},
                {"key and secret", concat(key, secret), true},
                {"value first", concat(secret, key), true},
                {"clean then secret value", concat(concat(key, clean), secret), true},
                {"secret then clean value: the parse keeps the clean one, the check is conservative", concat(concat(key, secret), clean), true},
                {"long string", concat(key, longClean), false},
                {"long secret", concat(key, longSecret), true},
                {"long key", concat(longKey, clean), false},
                {"long denied key", concat(deniedLongKey, clean), true},
                {"secret then a number in one value", concat(key, secretThenNumber), true},
                {"a number then a secret in one value", concat(key, numberThenSecret), true},
                {"two-byte number", concat(key, number), false},
                {"flag", concat(key, flag), false},
                {"double", concat(key, ratio), false},
                {"key alone", key, false},
                {"empty value", concat(key, field(2, new byte[0])), false},
        };
        for (Object[] c : cases) {
            byte[] span = field(9, (byte[]) c[1]);
            byte[] message = field(2, field(2, span));
            boolean redacted = REDACTOR.redact(parse(message)).changed();
            assertThat(mayRedact(REDACTOR, message)).as((String) c[0]).isEqualTo(c[2]);
            if (redacted) {
                assertThat((boolean) c[2]).as("%s: redact() changes it", c[0]).isTrue();
            }
        }
        byte[] cut = field(2, field(2, field(9, Arrays.copyOf(concat(key, clean), 12))));
        assertThat(mayRedact(REDACTOR, cut)).as("a key cut short, left to the parse").isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ResourceSpans parse(byte[] bytes) {
        try {
            return ResourceSpans.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
