package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
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
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static Span.Builder span(String name) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16]).concat(ByteString.EMPTY))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .setName(name)
                .addAttributes(attribute("http.request.method", "GET"))
                .addAttributes(attribute("http.response.status_code", AnyValue.newBuilder().setIntValue(200).build()));
    }

    /** A message with a benign second span, and the given changes applied to the first span, scope and resource. */
    private static ResourceSpans message(Span.Builder first, InstrumentationScope.Builder scope, Resource.Builder resource) {
        return ResourceSpans.newBuilder()
                .setResource(resource.addAttributes(attribute("service.name", "checkout")))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(scope.setName("io.opentelemetry.okhttp"))
                        .addSpans(first)
                        .addSpans(span("SELECT carts").setParentSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))))
                .build();
    }

    /** Where an attribute can sit in a ResourceSpans. */
    enum AttributePosition {
        RESOURCE((kv, m) -> message(span("GET /cart"), InstrumentationScope.newBuilder(), Resource.newBuilder().addAttributes(kv))),
        SCOPE((kv, m) -> message(span("GET /cart"), InstrumentationScope.newBuilder().addAttributes(kv), Resource.newBuilder())),
        SPAN((kv, m) -> message(span("GET /cart").addAttributes(kv), InstrumentationScope.newBuilder(), Resource.newBuilder())),
        EVENT((kv, m) -> message(span("GET /cart").addEvents(Span.Event.newBuilder().setName("exception")
                .addAttributes(attribute("exception.type", "java.lang.IllegalStateException")).addAttributes(kv)),
                InstrumentationScope.newBuilder(), Resource.newBuilder())),
        LINK((kv, m) -> message(span("GET /cart").addLinks(Span.Link.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16])).addAttributes(kv)), InstrumentationScope.newBuilder(), Resource.newBuilder())),
        INSIDE_ARRAY((kv, m) -> message(span("GET /cart").addAttributes(attribute("items", AnyValue.newBuilder()
                .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("first"))
                        .addValues(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv)))).build())),
                InstrumentationScope.newBuilder(), Resource.newBuilder())),
        INSIDE_NESTED_KVLIST((kv, m) -> message(span("GET /cart").addEvents(Span.Event.newBuilder().setName("request")
                .addAttributes(attribute("body", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attribute("user", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv)).build())))
                        .build()))), InstrumentationScope.newBuilder(), Resource.newBuilder()));

        final BiFunction<KeyValue, Void, ResourceSpans> build;

        AttributePosition(BiFunction<KeyValue, Void, ResourceSpans> build) {
            this.build = build;
        }

        ResourceSpans with(KeyValue attribute) {
            return build.apply(attribute, null);
        }
    }

    /** Free-text fields outside attributes where exception text lands. */
    enum TextPosition {
        SPAN_NAME, STATUS_MESSAGE, EVENT_NAME;

        ResourceSpans with(String text) {
            Span.Builder first = span("GET /cart");
            switch (this) {
                case SPAN_NAME -> first.setName(text);
                case STATUS_MESSAGE -> first.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(text));
                default -> first.addEvents(Span.Event.newBuilder().setName(text));
            }
            return message(first, InstrumentationScope.newBuilder(), Resource.newBuilder());
        }
    }

    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    /** rule, secret, text around it. */
    static List<Arguments> secrets() {
        return List.of(
                Arguments.of("bearer-token", "Bearer 9f8e7d6c5b4a39281706abcdef", "header was %s, rejected"),
                Arguments.of("bearer-token", "bearer abc.DEF-123_xyz~+/==", "%s"),
                Arguments.of("jwt", JWT, "token=%s;"),
                Arguments.of("aws-access-key", "AKIAIOSFODNN7EXAMPLE", "key id %s in request"),
                Arguments.of("aws-access-key", "ASIAY34FZKBOKMUTVV7A", "(%s)"),
                Arguments.of("credit-card", "4111 1111 1111 1111", "card %s declined"),
                Arguments.of("credit-card", "5500-0055-5555-5559", "card %s"),
                Arguments.of("credit-card", "378282246310005", "amex:%s"),
                Arguments.of("email", "jane.doe+shop@mail.example.co.uk", "user %s not found"));
    }

    static Stream<Arguments> secretsInEveryAttributePosition() {
        List<Arguments> cases = new ArrayList<>();
        for (AttributePosition position : AttributePosition.values()) {
            for (Arguments secret : secrets()) {
                cases.add(Arguments.of(position, secret.get()[0], secret.get()[1], secret.get()[2]));
            }
            cases.add(Arguments.of(position, "deny-key", "hunter2", "%s"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("secretsInEveryAttributePosition")
    void redactsSecretValuesInEveryAttributePosition(AttributePosition position, String rule, String secret, String around) {
        String key = rule.equals("deny-key") ? "db.password" : "exception.message";
        ResourceSpans input = position.with(attribute(key, around.formatted(secret)));

        Redactor.Result result = Redactor.defaults().redact(input);

        assertThat(contains(input, secret)).as("fixture holds the secret").isTrue();
        assertThat(contains(result.resourceSpans(), secret)).isFalse();
        assertThat(contains(result.resourceSpans(), Redactor.REDACTED)).isTrue();
        assertThat(result.counts()).isEqualTo(Map.of(rule, 1));
        if (!rule.equals("deny-key")) {
            String context = around.formatted(Redactor.REDACTED);
            assertThat(contains(result.resourceSpans(), context)).as("surrounding text kept: " + context).isTrue();
        }
        assertThat(result.resourceSpans().getScopeSpans(0).getSpans(1))
                .as("the untouched span is reused, not copied").isSameAs(input.getScopeSpans(0).getSpans(1));
    }

    static Stream<Arguments> secretsInEveryTextPosition() {
        List<Arguments> cases = new ArrayList<>();
        for (TextPosition position : TextPosition.values()) {
            for (Arguments secret : secrets()) {
                cases.add(Arguments.of(position, secret.get()[0], secret.get()[1], secret.get()[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("secretsInEveryTextPosition")
    void redactsSecretValuesInNamesAndStatusMessages(TextPosition position, String rule, String secret, String around) {
        ResourceSpans input = position.with(around.formatted(secret));

        Redactor.Result result = Redactor.defaults().redact(input);

        assertThat(contains(result.resourceSpans(), secret)).isFalse();
        assertThat(contains(result.resourceSpans(), around.formatted(Redactor.REDACTED))).isTrue();
        assertThat(result.counts()).isEqualTo(Map.of(rule, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "db.password", "Authorization", "http.request.header.authorization",
            "http.response.header.set-cookie", "db.connection_string", "api_key", "HTTP.REQUEST.HEADER.COOKIE"})
    void denyListedKeysLoseTheirWholeValueWhateverItsType(String key) {
        AnyValue headerValues = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("s3cr3t-value"))).build();
        ResourceSpans input = AttributePosition.SPAN.with(attribute(key, headerValues));

        Redactor.Result result = Redactor.defaults().redact(input);

        KeyValue redacted = result.resourceSpans().getScopeSpans(0).getSpans(0).getAttributesList().stream()
                .filter(kv -> kv.getKey().equals(key)).findFirst().orElseThrow();
        assertThat(redacted.getValue()).isEqualTo(AnyValue.newBuilder().setStringValue(Redactor.REDACTED).build());
        assertThat(result.counts()).isEqualTo(Map.of("deny-key", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "bearer of bad news arrived today",
            "order 4111111111111112 shipped",
            "trace 0123456789012345678901234567890",
            "AKIAIOSFODNN7EXAMPL",
            "not-an-email@localhost",
            "eyJhbGciOiJIUzI1NiJ9 alone",
            "plain text with nothing secret"})
    void leavesLookAlikesAloneAndReturnsTheSameMessage(String value) {
        ResourceSpans input = AttributePosition.SPAN.with(attribute("note", value));

        Redactor.Result result = Redactor.defaults().redact(input);

        assertThat(result.resourceSpans()).isSameAs(input);
        assertThat(result.changed()).isFalse();
        assertThat(result.counts()).isEmpty();
    }

    @Test
    void keysThatOnlyStartLikeADeniedKeyAreKept() {
        ResourceSpans input = AttributePosition.SPAN.with(attribute("password_policy", "min 12 chars"));
        assertThat(Redactor.defaults().redact(input).resourceSpans()).isSameAs(input);
    }

    @Test
    void countsEveryReplacementPerRule() {
        ResourceSpans input = AttributePosition.EVENT.with(attribute("exception.stacktrace",
                "java.lang.Exception: a@example.com and b@example.com paid with 4111 1111 1111 1111\n\tat Shop.pay(Shop.java:1)"));
        Redactor.Result result = Redactor.defaults().redact(input);
        assertThat(result.counts()).isEqualTo(Map.of("email", 2, "credit-card", 1));
        assertThat(result.changed()).isTrue();
    }

    @Test
    void rulesCanBeSwitchedOffAndDenyKeysReplacedOrExtended() {
        List<String> problems = new ArrayList<>();
        Redactor redactor = Redactor.fromConfig(Map.of(
                "deny-keys", List.of("session"),
                "extra-deny-keys", List.of("ssn"),
                "rules", Map.of("email", false)), problems);
        assertThat(problems).isEmpty();

        ResourceSpans input = AttributePosition.SPAN.with(attribute("user", "jane@example.com"));
        assertThat(redactor.redact(input).resourceSpans()).isSameAs(input);
        ResourceSpans password = AttributePosition.SPAN.with(attribute("password", "hunter2"));
        assertThat(redactor.redact(password).resourceSpans()).as("default deny-list replaced").isSameAs(password);
        assertThat(redactor.redact(AttributePosition.SPAN.with(attribute("http.session", "x"))).counts()).containsEntry("deny-key", 1);
        assertThat(redactor.redact(AttributePosition.SPAN.with(attribute("ssn", "x"))).counts()).containsEntry("deny-key", 1);
        assertThat(redactor.redact(AttributePosition.SPAN.with(attribute("card", "4111111111111111"))).counts())
                .containsEntry("credit-card", 1);
        assertThat(redactor.ruleNames()).containsExactly("deny-key", "bearer-token", "jwt", "aws-access-key", "credit-card");
    }

    @Test
    void disabledRedactorPassesEverythingThrough() {
        Redactor redactor = Redactor.fromConfig(Map.of("enabled", false), new ArrayList<>());
        ResourceSpans input = AttributePosition.SPAN.with(attribute("password", "hunter2"));
        assertThat(redactor.redact(input).resourceSpans()).isSameAs(input);
    }

    @Test
    void everyConfigurationProblemIsListed() {
        List<String> problems = new ArrayList<>();
        assertThat(Redactor.fromConfig(Map.of("enabled", "yes", "deny-keys", Map.of("password", true),
                "rules", Map.of("e-mail", true, "jwt", "off"), "deny-key", List.of()), problems)).isNull();
        assertThat(problems).hasSize(5)
                .anySatisfy(p -> assertThat(p).startsWith("redaction.enabled:"))
                .anySatisfy(p -> assertThat(p).startsWith("redaction.deny-keys:"))
                .anySatisfy(p -> assertThat(p).startsWith("redaction.rules.e-mail: unknown key").contains("email"))
                .anySatisfy(p -> assertThat(p).startsWith("redaction.rules.jwt:"))
                .anySatisfy(p -> assertThat(p).startsWith("redaction.deny-key: unknown key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111111", "4111-1111-1111-1111", "5555555555554444", "6011111111111117", "378282246310005"})
    void luhnAcceptsValidCardNumbers(String number) {
        assertThat(ValuePattern.passesLuhn(number)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111112", "1234567890123456", "5555555555554443"})
    void luhnRejectsOtherNumbers(String number) {
        assertThat(ValuePattern.passesLuhn(number)).isFalse();
    }

    private static boolean contains(ResourceSpans message, String text) {
        byte[] haystack = message.toByteArray();
        byte[] needle = text.getBytes(UTF_8);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
