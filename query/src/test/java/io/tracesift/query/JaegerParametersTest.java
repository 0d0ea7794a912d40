package io.tracesift.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JaegerParametersTest {
    static final long NOW_US = 1_760_000_000_000_000L;

    static TraceSearch search(String query) {
        return JaegerParameters.search(RequestParameters.parse(query, JaegerParameters.SEARCH), 1500, NOW_US);
    }

    @Test
    void defaultsAreJaegersLastTwoDaysAndLimit100() {
        TraceSearch s = search("service=frontend");
        assertThat(s.service()).isEqualTo("frontend");
        assertThat(s.endUs()).isEqualTo(NOW_US);
        assertThat(s.startUs()).isEqualTo(NOW_US - 2L * 24 * 3600 * 1_000_000);
        assertThat(s.limit()).isEqualTo(100);
        assertThat(s.minDurationUs()).isZero();
        assertThat(s.maxDurationUs()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.tags()).isEmpty();
    }

    @Test
    void readsEveryParameterInJaegersUnits() {
        TraceSearch s = search("service=a&operation=GET+%2Fx&start=100&end=200&minDuration=1.5ms&maxDuration=2s"
                + "&limit=20&tags=%7B%22http.status_code%22%3A%22500%22%7D&tag=env:prod&lookback=custom");
        assertThat(s).isEqualTo(new TraceSearch("a", "GET /x", Map.of("http.status_code", "500", "env", "prod"),
                100, 200, 1500, 2_000_000, 20));
    }

    @Test
    void lookbackSetsTheStartWhenNoStartIsGiven() {
        assertThat(search("lookback=1h").startUs()).isEqualTo(NOW_US - 3_600_000_000L);
        assertThat(search("lookback=2d").startUs()).isEqualTo(NOW_US - 2L * 24 * 3_600_000_000L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=1501|limit 1501 is beyond the maximum; limit must be a whole number from 0 to 1500",
            "limit=ten|limit 'ten' is not a number",
            "start=yesterday|start 'yesterday' must be epoch microseconds",
            "end=1.5|end '1.5' must be epoch microseconds",
            "start=300&end=200|start (300) is after end (200)",
            "minDuration=5|minDuration '5' is not a Go duration such as",
            "maxDuration=1d|maxDuration '1d' is not a Go duration",
            "minDuration=2s&maxDuration=1s|minDuration is greater than maxDuration",
            "tags=[1]|tags must be a JSON object of strings",
            "tags={bad|tags must be a JSON object of strings",
            "tag=novalue|tag 'novalue' must be key:value",
            "lookback=forever|lookback 'forever' is not a Go duration",
            "servce=a|unknown parameter 'servce'; valid parameters are [end, limit, lookback, maxDuration, minDuration, operation, service, start, tag, tags, traceID]",
            "service=a&service=b|parameter 'service' was given 2 times; give it once"})
    void badInputIsRefusedWithWhatIsValid(String query, String message) {
        assertThatThrownBy(() -> search(query)).isInstanceOf(BadRequest.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"ABC, 00000000000000000000000000000abc", "4bf92f3577b34da6a3ce929d0e0e4736, 4bf92f3577b34da6a3ce929d0e0e4736"})
    void traceIdsArePaddedAndLowercased(String text, String id) {
        assertThat(JaegerParameters.traceId(text)).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({"xyz", "0000", "4bf92f3577b34da6a3ce929d0e0e47360", "'4bf9-2f'"})
    void malformedTraceIdsAreRefused(String text) {
        assertThatThrownBy(() -> JaegerParameters.traceId(text)).isInstanceOf(BadRequest.class)
                .hasMessageContaining("a trace id is 1 to 32 hex digits");
    }

    @Test
    void limitZeroMeansTheDefault() {
        assertThat(search("limit=0").limit()).isEqualTo(100);
        assertThat(search("limit=1500").limit()).isEqualTo(1500);
    }

    @Test
    void spanKindAndDependencyParametersAreChecked() {
        assertThat(JaegerParameters.spanKind("server")).isEqualTo("server");
        assertThatThrownBy(() -> JaegerParameters.spanKind("backend")).hasMessageContaining("[client, consumer, internal, producer, server]");
        assertThat(JaegerParameters.dependencyLookback(null)).isEqualTo(86_400_000L);
        assertThatThrownBy(() -> JaegerParameters.dependencyLookback("0")).hasMessageContaining("positive number of milliseconds");
        assertThatThrownBy(() -> JaegerParameters.millis("soon", "endTs")).hasMessageContaining("epoch milliseconds");
    }
}
