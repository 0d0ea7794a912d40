package io.tracesift.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClosestNameTest {

    private static final List<String> KNOWN = List.of("bootstrap-servers", "http-port", "state-dir", "kafka", "sampling");

    @ParameterizedTest
    @CsvSource({
            "bootstrap-server, bootstrap-servers",
            "bootstrap_servers, bootstrap-servers",
            "HTTP-PORT, http-port",
            "htp-port, http-port",
            "kafak, kafka",
            "sampeling, sampling"})
    void suggestsTheNearestKnownName(String typed, String expected) {
        assertThat(ClosestName.of(typed, KNOWN)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"metrics", "port", "x", "completely-different"})
    void suggestsNothingForUnrelatedNames(String typed) {
        assertThat(ClosestName.of(typed, KNOWN)).isEmpty();
    }
}
