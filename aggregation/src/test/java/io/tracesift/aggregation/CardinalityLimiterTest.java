package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CardinalityLimiterTest {
    static final String CALLS = "traces_spanmetrics_calls_total";

    static SeriesKey key(String tenant, String family, String service) {
        return SeriesKey.of(tenant, family, "service", service);
    }

    @Test
    void newSeriesBeyondTheLimitGoToTheOverflowSeries() {
        CardinalityLimiter limiter = new CardinalityLimiter(2);
        assertThat(limiter.admit(key("acme", CALLS, "a"), false)).isEqualTo(key("acme", CALLS, "a"));
        assertThat(limiter.admit(key("acme", CALLS, "b"), false)).isEqualTo(key("acme", CALLS, "b"));
        assertThat(limiter.admit(key("acme", CALLS, "c"), false)).isEqualTo(SeriesKey.of("acme", CALLS, "otel_metric_overflow", "true"));
        assertThat(limiter.admit(key("acme", CALLS, "a"), true)).isEqualTo(key("acme", CALLS, "a"));
        assertThat(limiter.seriesCount("acme", CALLS)).isEqualTo(2);
    }

    static Stream<Arguments> independentBudgets() {
        return Stream.of(
                Arguments.of("another tenant", key("globex", CALLS, "c")),
                Arguments.of("another family", key("acme", "traces_spanmetrics_latency", "c")),
                Arguments.of("an unlimited family", SeriesKey.of("acme", "tracesift_spanmetrics_invalid_duration_spans_total", "reason", "negative")),
                Arguments.of("the overflow series itself", SeriesKey.of("acme", CALLS, "otel_metric_overflow", "true")));
    }

    @ParameterizedTest(name = "{0} is still admitted")
    @MethodSource("independentBudgets")
    void budgetsArePerTenantAndFamily(String why, SeriesKey other) {
        CardinalityLimiter limiter = new CardinalityLimiter(1);
        limiter.admit(key("acme", CALLS, "a"), false);
        assertThat(limiter.admit(key("acme", CALLS, "b"), false)).isNotEqualTo(key("acme", CALLS, "b"));
        assertThat(limiter.admit(other, false)).isEqualTo(other);
    }

    @Test
    void restoredKeysCountAgainstTheLimit() {
        CardinalityLimiter limiter = new CardinalityLimiter(2);
        limiter.restore(key("acme", CALLS, "a"));
        limiter.restore(key("acme", CALLS, "b"));
        limiter.restore(SeriesKey.of("acme", CALLS, "otel_metric_overflow", "true"));
        assertThat(limiter.seriesCount("acme", CALLS)).isEqualTo(2);
        assertThat(CardinalityLimiter.isOverflow(limiter.admit(key("acme", CALLS, "c"), false))).isTrue();
    }
}
