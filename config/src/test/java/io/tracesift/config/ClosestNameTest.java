package io.tracesift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClosestNameTest {

    private static final List<String> KNOWN = List.of("bootstrap-servers", "http-port", "state-dir", "kafka", "sampling",
            "latency", "error", "probabilistic", "and");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "bootstrap-server, bootstrap-servers",
            "bootstrap_servers, bootstrap-servers",
            "HTTP-PORT, http-port",
            "htp-port, http-port",
            "kafak, kafka",
            "sampeling, sampling",
            "latncy, latency",
            "Error, error",
            "probabilstic, probabilistic",
            "prbablistic, probabilistic",
            "nd, and"})
    void suggestsTheNearestKnownName(String typed, String expected) {
        assertThat(ClosestName.of(typed, KNOWN)).contains(expected);
        assertThat(ClosestName.didYouMean(typed, KNOWN)).isEqualTo("; did you mean '" + expected + "'?");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"metrics", "port", "x", "a", "regexp", "completely-different"})
    void suggestsNothingForUnrelatedOrTooShortNames(String typed) {
        assertThat(ClosestName.of(typed, KNOWN)).isEmpty();
        assertThat(ClosestName.didYouMean(typed, KNOWN)).isEqualTo(";");
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({"kafka, kafka, 0", "kafak, kafka, 2", "a_b, a-b, 0", "'', abc, 3", "abc, '', 3", "sitting, kitten, 3"})
    void measuresEditsWithUnderscoreAndHyphenAlike(String a, String b, int distance) {
        assertThat(ClosestName.distance(a, b)).isEqualTo(distance);
    }
}
