package io.tracesift.sampling;

import static io.tracesift.sampling.TestSpan.child;
import static io.tracesift.sampling.TestSpan.root;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.sampling.AttributePolicy.EqualTo;
import io.tracesift.sampling.AttributePolicy.Match;
import io.tracesift.sampling.AttributePolicy.Range;
import io.tracesift.sampling.AttributePolicy.Regex;
import io.tracesift.sampling.Decision.Verdict;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttributePolicyTest {

    static Stream<Arguments> matches() {
        return Stream.of(
                Arguments.of("equal text", EqualTo.of(List.of("/healthz", "/readyz")), "/readyz", true),
                Arguments.of("different text", EqualTo.of(List.of("/healthz")), "/healthz/deep", false),
                Arguments.of("config int equals long attribute", EqualTo.of(List.of(200)), 200L, true),
                Arguments.of("config int equals text attribute", EqualTo.of(List.of(200)), "200", true),
                Arguments.of("config whole double equals long", EqualTo.of(List.of(200.0)), 200L, true),
                Arguments.of("fraction is not whole", EqualTo.of(List.of(200)), 200.5, false),
                Arguments.of("boolean", EqualTo.of(List.of(true)), Boolean.TRUE, true),
                Arguments.of("boolean mismatch", EqualTo.of(List.of(true)), Boolean.FALSE, false),
                Arguments.of("regex finds inside", new Regex(Pattern.compile("gold|platinum")), "tier-gold", true),
                Arguments.of("anchored regex", new Regex(Pattern.compile("^(gold|platinum)$")), "tier-gold", false),
                Arguments.of("regex on a number's text", new Regex(Pattern.compile("^5\\d\\d$")), 503L, true),
                Arguments.of("range inclusive low", new Range(500, 599), 500L, true),
                Arguments.of("range inclusive high", new Range(500, 599), 599.0, true),
                Arguments.of("range above", new Range(500, 599), 600L, false),
                Arguments.of("range on numeric text", new Range(500, 599), "503", true),
                Arguments.of("range on other text", new Range(500, 599), "five hundred", false),
                Arguments.of("open-ended range", new Range(Double.NEGATIVE_INFINITY, 0), -7L, true),
                Arguments.of("range ignores booleans", new Range(0, 1), Boolean.TRUE, false));
    }

    @ParameterizedTest(name = "{0}: {2} -> {3}")
    @MethodSource("matches")
    void matchesEqualityRegexAndNumericRanges(String description, Match match, Object value, boolean matched) {
        AttributePolicy policy = new AttributePolicy("k", match, Verdict.KEEP, "rule");
        TestTrace trace = TestTrace.of(root("api", "GET /", 10), child("db", "q", 1, 1).withAttribute("k", value));

        assertThat(policy.evaluate(trace)).isEqualTo(matched ? Decision.keep("rule", 1) : Decision.NO_MATCH);
    }

    static Stream<Arguments> whereTheAttributeIs() {
        TestSpan plain = root("api", "GET /", 10);
        return Stream.of(
                Arguments.of("on a span", TestTrace.of(plain, child("db", "q", 1, 1).withAttribute("env", "prod")), true),
                Arguments.of("on a resource", TestTrace.of(plain.withResourceAttribute("env", "prod")), true),
                Arguments.of("span value shadows resource value",
                        TestTrace.of(plain.withResourceAttribute("env", "prod").withAttribute("env", "dev")), false),
                Arguments.of("absent", TestTrace.of(plain, child("db", "q", 1, 1)), false),
                Arguments.of("other value on every span",
                        TestTrace.of(plain.withAttribute("env", "dev"), child("db", "q", 1, 1).withAttribute("env", "test")), false));
    }

    @ParameterizedTest(name = "{0} -> drop {2}")
    @MethodSource("whereTheAttributeIs")
    void dropsWhenAnySpanMatchesLookingAtSpanAttributesBeforeResourceAttributes(
            String description, TestTrace trace, boolean dropped) {
        AttributePolicy policy = new AttributePolicy("env", EqualTo.of(List.of("prod")), Verdict.DROP, "prod-only");

        assertThat(policy.evaluate(trace)).isEqualTo(dropped ? Decision.drop("prod-only") : Decision.NO_MATCH);
    }
}
